"""The ``preview/`` endpoint: a preview token answered with the object's detail payload.

The payload is built by the router's own builders (``news_payload``, ``delegation_payload``,
``index_payload``, ``load_feeds``) from a row made of the in-memory object instead of a
database row, so a preview has exactly the schema and the rendering of ``pages/{id}/``,
``news/{id}/``, ``delegations/{id}/`` and ``feeds/{id}/``. Never cached: the answer is a
draft, and ``Cache-Control: no-store`` keeps it out of browsers and CDNs as well.
"""

from django.utils.translation import gettext as _
from ninja import Router

from ..api import params
from ..api.cards import card_fields
from ..api.context import ApiContext
from ..api.errors import ApiError, ParameterError, add_undocumented_methods, handle_errors
from ..api.payloads import (
    INDEX_DETAIL_FIELDS,
    PAGE_FIELDS,
    delegation_detail_fields,
    delegation_payload,
    index_payload,
    news_payload,
)
from ..api.router import ERROR_RESPONSES
from ..api.schemas.common import Feed
from ..api.schemas.resources import DelegationDetail, DelegationIndex, NewsDetail
from ..api.streamfield import load_feeds
from ..basepage import Page
from ..cache import hosts
from ..cache.responses import encode
from ..models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage
from ..sites import settle
from ..tag_names import tag_labels
from . import tokens
from .models import PreviewState, max_age

MODELS = {
    tokens.content_type_label(model): model
    for model in (NewsPage, DelegationPage, DelegationIndexPage, NewsFeed)
}
PREVIEW = (
    params.Param(
        "content_type",
        "choice",
        "The previewed object's type (app_label.modelname), as the preview URL gave it.",
        choices=tuple(MODELS),
        required=True,
    ),
    params.Param("token", "text", "The preview token the preview URL gave.", required=True),
    params.Param(
        "id",
        "int",
        "Optional: the previewed object's id; a token of another object is refused.",
        minimum=1,
    ),
    params.RICH_TEXT_FORMAT,
)
# A never-saved object has no id yet: its payload says 0 (ids start at 1).
UNSAVED_ID = 0


class PreviewForbidden(ApiError):
    status = 403


class PreviewGone(ApiError):
    status = 410


def _state(values):
    try:
        claims = tokens.read(values["token"], max_age())
    except tokens.TokenExpired:
        raise PreviewGone(
            "token", _("This preview token has expired: reopen the preview in Wagtail.")
        ) from None
    except tokens.TokenInvalid:
        raise PreviewForbidden("token", _("This preview token is not valid.")) from None
    if claims.get("t") != values["content_type"]:
        raise ParameterError("content_type", _("This token previews another type of object."))
    if values["id"] is not None and str(values["id"]) != claims.get("o"):
        raise ParameterError("id", _("This token previews another object."))
    state = PreviewState.objects.select_related("content_type").filter(pk=claims.get("s")).first()
    # The row outlives no token; and it must show the object the token names.
    if state is None:
        raise PreviewGone("token", _("This preview has expired: reopen the preview in Wagtail."))
    if (
        tokens.content_type_label(state.content_type.model_class()) != claims["t"]
        or state.object_id != claims["o"]
    ):
        raise PreviewForbidden("token", _("This preview token is not valid."))
    return state


def _row(obj, fields):
    row = {name: getattr(obj, name) for name in fields}
    if obj.pk is None:
        row["pk"] = UNSAVED_ID
    row["language"] = obj.locale.language_code
    return row


def _news_relations(obj, language):
    """The editor's tags (as readers of ``language`` see them) and related delegations.

    Tag ids from the in-memory through-objects: ``obj.tags.all()`` would load each tag on its
    own. Tags typed in the edit exist already (taggit creates them when the form is cleaned).
    """
    ids = [item.tag_id for item in obj.tagged_items.all() if item.tag_id]
    labels = tag_labels(ids, language)
    names = sorted(
        (labels[pk] for pk in dict.fromkeys(ids) if pk in labels), key=lambda label: label[1].casefold()
    )
    keys = [delegation.translation_key for delegation in obj.related_delegations.all()]
    return names, keys


def _parent_key(obj):
    return (
        Page.objects.filter(path=obj.path[: -Page.steplen]).values_list("translation_key", flat=True).first()
    )


def build(ctx, obj):
    """The detail payload of ``obj`` (unsaved state included) in its own language."""
    ctx.use_language(obj.locale.language_code)
    if obj.pk is None:
        # Nothing stored has translations of an object never saved.
        ctx.translations[UNSAVED_ID] = []
        ctx.translation_paths[UNSAVED_ID] = {}
    if isinstance(obj, NewsFeed):
        payload = load_feeds(None, ctx, feeds=[obj])[obj.pk]
        payload["id"] = payload["id"] or UNSAVED_ID
        return payload
    if isinstance(obj, NewsPage):
        row = _row(obj, (f for f in card_fields() if f not in ("image_id",)))
        row["image_id"] = obj.image_id
        row["parent_key"] = _parent_key(obj)
        payload = news_payload(ctx, row, relations={row["pk"]: _news_relations(obj, ctx.language)})
    elif isinstance(obj, DelegationPage):
        payload = delegation_payload(ctx, _row(obj, (*PAGE_FIELDS, *delegation_detail_fields())))
    else:
        payload = index_payload(ctx, _row(obj, (*PAGE_FIELDS, *INDEX_DETAIL_FIELDS)))
    if obj.pk is None:
        # Not stored: this very preview is where the API serves it.
        payload["meta"]["detail_url"] = ctx.request.build_absolute_uri()
    return payload


@handle_errors
def preview(request):
    """A draft's detail, unsaved edits included, for a preview token (Wagtail's preview of
    the "Headless frontend" mode gives the frontend `content_type` and `token`).

    Same schema as the object's detail endpoint (`meta.type` tells which); a never-saved
    object has id 0. Tokens expire after PREVIEW_TOKEN_MAX_AGE seconds (410), a tampered one
    is refused (403), one of another object or type is a 400. Never cached (`no-store`).
    """
    from django.http import HttpResponse

    values = params.parse(request.GET, PREVIEW)
    state = _state(values)
    # The Site from the per-process memo (one indexed query), not Wagtail's lookup each time.
    settle(request, hosts.current(request))
    ctx = ApiContext(request, rich_text_format=values["rich_text_format"])
    payload = build(ctx, state.as_object())
    response = HttpResponse(encode(payload), content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def make_router():
    router = Router(tags=["mmm"])
    router.add_api_operation(
        "preview/",
        ["GET"],
        preview,
        response={200: DelegationIndex | DelegationDetail | NewsDetail | Feed},
        url_name="mmm_preview",
        summary="A draft's unsaved state, for a preview token",
        description=preview.__doc__,
        openapi_extra={
            "responses": {
                **ERROR_RESPONSES,
                "403": {**ERROR_RESPONSES["400"], "description": "A token that was tampered with."},
                "410": {
                    **ERROR_RESPONSES["400"],
                    "description": "An expired token: ask the admin for a new one.",
                },
            },
            "parameters": params.openapi_parameters(PREVIEW),
        },
        by_alias=True,
    )
    add_undocumented_methods(router, "preview/", preview, "mmm_preview")
    return router
