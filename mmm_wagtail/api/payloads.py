"""The payloads of the detail endpoints and of the delegations listing, shared by the typed
endpoints (``news/{id}/``, ``delegations/{id}/``), the generic ``pages/{id}/`` and
``pages/find/``, and the preview (``preview.api``, which passes unsaved rows)."""

from django.db.models import F

from ..basepage import Page
from ..models import DelegationIndexPage, DelegationPage, NewsPage
from ..models.querysets import latest_news_ids
from ..queries import current
from ..syndication.links import syndication_links
from . import shapes, translations
from .cards import NEWS_TYPE, build_cards, card_rows_of, locale_delegations
from .context import TYPE_NAMES
from .errors import NotFound
from .streamfield import load_feeds, resolve_bodies

__all__ = [
    "INDEX_DETAIL_FIELDS",
    "PAGE_FIELDS",
    "delegation_detail_fields",
    "delegation_detail_payload",
    "delegation_payload",
    "delegations_with_news",
    "find_page",
    "index_detail_payload",
    "index_payload",
    "news_detail_payload",
    "news_payload",
    "page_detail_payload",
]

DELEGATION_TYPE = DelegationPage._meta.label
INDEX_TYPE = DelegationIndexPage._meta.label
PAGE_FIELDS = (
    "pk",
    "title",
    "slug",
    "url_path",
    "content_type_id",
    "translation_key",
    "first_published_at",
    "last_published_at",
)


def delegation_dict(ctx, row, cards):
    """A delegation's payload (``shapes.DELEGATION``): its columns, ``meta`` and ``cards``."""
    return shapes.DELEGATION.build(
        row,
        id=row["pk"],
        meta={
            **ctx.meta(row, DELEGATION_TYPE),
            # A delegation never saved (in a preview) has no feeds yet.
            "feeds": syndication_links(ctx.request, "delegation", pk=row["pk"]) if row["pk"] else None,
        },
        latest_news=cards,
    )


def delegations_with_news(ctx, rows):
    """Delegation dicts with their latest news; constant queries for any number of them."""
    latest = latest_news_ids(ctx.language, rows, ctx.roots)
    wanted = {pk for pks in latest.values() for pk in pks}
    # One query for the translations of the delegations and of their news alike.
    translations.load(
        ctx, {**dict.fromkeys(wanted, NEWS_TYPE), **{row["pk"]: DELEGATION_TYPE for row in rows}}
    )
    news_rows = card_rows_of(list(wanted))
    cards = {card["id"]: card for card in build_cards(news_rows, ctx)}
    return [delegation_dict(ctx, row, [cards[pk] for pk in latest[row["pk"]] if pk in cards]) for row in rows]


def find_page(ctx, model, pk, fields=()):
    """A current page of ``model`` in the requesting site, or NotFound; switches ctx to its language."""
    row = (
        current(model.objects.filter(pk=pk))
        .filter(ctx.in_site())
        .values(*PAGE_FIELDS, *fields, language=F("locale__language_code"))
        .first()
    )
    if row is None:
        raise NotFound()
    ctx.use_language(row["language"])
    return row


def news_detail_payload(ctx, pk):
    row = find_page(ctx, NewsPage, pk)
    return news_payload(ctx, card_rows_of([row["pk"]])[0])


def news_payload(ctx, row, relations=None):
    """A news item's detail from its card row; ``relations`` as ``cards.build_cards`` takes
    them (a preview passes the editor's unsaved tags and delegations)."""
    card = build_cards([row], ctx, relations=relations)[0]
    (body,), _ = resolve_bodies(ctx, [row["body"].raw_data])
    return {**card, "body": body, "translations": translations.of(ctx, row["pk"], NEWS_TYPE)}


def delegation_detail_fields():
    """The columns of a delegation's detail beyond ``PAGE_FIELDS``: those of
    ``shapes.DELEGATION`` (the listing's) and its body."""
    return (*(f for f in shapes.DELEGATION.columns if f not in PAGE_FIELDS), "body")


def delegation_detail_payload(ctx, pk):
    return delegation_payload(ctx, find_page(ctx, DelegationPage, pk, delegation_detail_fields()))


def delegation_payload(ctx, row):
    """A delegation's detail from its row (``PAGE_FIELDS`` and ``delegation_detail_fields()``)."""
    (delegation,) = delegations_with_news(ctx, [row])
    (body,), _ = resolve_bodies(ctx, [row["body"].raw_data])
    return {
        **delegation,
        "body": body,
        "translations": translations.of(ctx, row["pk"], DELEGATION_TYPE),
    }


INDEX_DETAIL_FIELDS = ("intro", "body", "news_feed_id")


def index_detail_payload(ctx, pk):
    return index_payload(ctx, find_page(ctx, DelegationIndexPage, pk, INDEX_DETAIL_FIELDS))


def index_payload(ctx, row):
    """The landing page's detail from its row (``PAGE_FIELDS`` and ``INDEX_DETAIL_FIELDS``)."""
    pk = row["pk"]
    own_translations = translations.of(ctx, pk, INDEX_TYPE)
    # With fallback, untranslated delegations sit under the landing page's default-language
    # version: each delegation is matched to the landing page of its own locale.
    landing_paths = ctx.translation_paths[pk] or {row["language"]: row["url_path"]}
    children = [
        d
        for d in locale_delegations(ctx)
        if d["language"] in landing_paths and d["url_path"].startswith(landing_paths[d["language"]])
    ]
    delegations = delegations_with_news(ctx, children)
    (body,), (intro,) = resolve_bodies(ctx, [row["body"].raw_data], [row["intro"]])
    feed = None
    if row["news_feed_id"]:
        feed = load_feeds({row["news_feed_id"]}, ctx).get(row["news_feed_id"])
    return {
        "id": row["pk"],
        "title": row["title"],
        "meta": ctx.meta(row, INDEX_TYPE),
        "intro": intro,
        "delegations": delegations,
        "news_feed": feed,
        "body": body,
        "translations": own_translations,
    }


DETAIL_BUILDERS = {
    NEWS_TYPE: news_detail_payload,
    DELEGATION_TYPE: delegation_detail_payload,
    INDEX_TYPE: index_detail_payload,
}


def page_detail_payload(ctx, pk):
    row = (
        current(Page.objects.filter(pk=pk))
        .filter(ctx.in_site(), content_type__app_label="mmm_wagtail")
        .values("content_type__model")
        .first()
    )
    type_name = row and TYPE_NAMES.get(row["content_type__model"])
    if type_name is None:
        raise NotFound()
    return DETAIL_BUILDERS[type_name](ctx, pk)
