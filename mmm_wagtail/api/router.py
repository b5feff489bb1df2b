"""The API's endpoints, as a django-ninja Router.

``make_router()`` builds a fresh Router, so the same endpoints can be mounted by our
standalone API (``api.urls``) and inside Wagtail 8's API v3 (``api.wagtail_v3``).
Every view reads its query through ``params.parse`` (unknown or bad parameters are a
400 naming them), builds a plain payload and answers through ``cache.responses.cached_json``.
"""

import datetime
import re
from typing import Annotated

import ninja
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Path, Router
from pydantic import WithJsonSchema
from wagtail.coreutils import get_content_languages

from ..basepage import Page
from ..cache.responses import cached_json
from ..locales import fallback_codes
from ..models import DelegationPage, NewsFeed, NewsRemoval
from ..queries import NewsFilters, current, listed_tag_ids, news_page, news_page_after, search_news_ids
from ..tag_names import tag_ids_for_slugs
from . import cursors, params
from .cards import build_cards, card_rows_of, locale_delegations
from .context import ApiContext
from .errors import (
    NotFound,
    add_catch_all,
    add_undocumented_methods,
    handle_errors,
    problem_responses,
)
from .pagination import cursor_links, pagination
from .payloads import (
    delegation_detail_payload,
    delegations_with_news,
    news_detail_payload,
    page_detail_payload,
)
from .schemas.common import Feed
from .schemas.resources import (
    DelegationDetail,
    DelegationIndex,
    DelegationList,
    FeedList,
    NewsDetail,
    NewsList,
)
from .schemas.site import RedirectList, RemovedList, SiteInfo, Sitemap
from .site import redirect_list, site_info, sitemap
from .streamfield import load_feeds

ERROR_RESPONSES = problem_responses()
ID = Path(..., description="The page's id.")
ID_OR_SLUG = Path(..., description="The feed's id or slug.")
# Path parameters are strings checked by ``params`` (our 400 on every mount); the document
# states the same rule without ninja enforcing it.
IdText = Annotated[str, WithJsonSchema({"type": "string", "pattern": params.ID_PATTERN})]
IdOrSlugText = Annotated[str, WithJsonSchema({"type": "string", "pattern": params.ID_OR_SLUG_PATTERN})]
# Each path parameter as ninja documents it from the signatures above.
PATH_PARAMETERS = {
    "id": (ID.description, params.ID_PATTERN),
    "id_or_slug": (ID_OR_SLUG.description, params.ID_OR_SLUG_PATTERN),
}
# django-ninja before 1.5 replaced the parameters it documents (the path's) by an operation's
# ``openapi_extra`` ones (our query parameters) instead of adding them (its #1505, fixed in
# 1.5.0): there, the path parameters are stated with the query ones.
NINJA_MERGES_PARAMETERS = tuple(int(part) for part in re.findall(r"\d+", ninja.__version__)[:2]) >= (1, 5)


def path_parameters(path):
    """The OpenAPI entries of ``path``'s parameters, as ninja writes them."""
    entries = []
    for name in re.findall(r"{(?:\w+:)?(\w+)}", path):
        description, pattern = PATH_PARAMETERS[name]
        schema = {"description": description, "pattern": pattern, "title": name.replace("_", " ").title()}
        entries.append(
            {
                "in": "path",
                "name": name,
                "schema": {**schema, "type": "string"},
                "required": True,
                "description": description,
            }
        )
    return entries


# -- views ---------------------------------------------------------------------------------


@handle_errors
def api_root(request):
    """Absolute URLs of the listings."""

    def build():
        params.parse(request.GET, ())
        ctx = ApiContext(request)
        return {
            name: ctx.api_base + f"{name}/"
            for name in ("delegations", "news", "feeds", "site", "sitemap", "redirects", "removed")
        }

    return cached_json(request, build)


@handle_errors
def delegation_list(request):
    """The live delegations of a locale in page-tree order, each with its latest news as cards."""

    def build():
        values = params.parse(request.GET, params.LOCALE_ONLY)
        ctx = ApiContext(request, values["locale"])
        items = delegations_with_news(ctx, locale_delegations(ctx))
        return {"count": len(items), "items": items}

    return cached_json(request, build)


@handle_errors
def delegation_detail(request, id: IdText = ID):
    """A delegation with its latest news, its resolved body and its translations."""

    def build():
        values = params.parse(request.GET, params.DETAIL)
        ctx = ApiContext(request, rich_text_format=values["rich_text_format"])
        return delegation_detail_payload(ctx, params.parse_id(id))

    return cached_json(request, build)


def _delegation_keys(ctx, wanted):
    ids = [value for value in wanted if isinstance(value, int)]
    slugs = [value for value in wanted if isinstance(value, str)]
    rows = (
        current(
            DelegationPage.objects.filter(
                Q(pk__in=ids)
                | Q(slug__in=slugs, locale__language_code__in=fallback_codes(ctx.language, site=ctx.site))
            )
        )
        .filter(ctx.in_site())
        .values_list("pk", "slug", "translation_key", "locale__language_code")
    )
    keys = {}
    # The reader's locale's slug wins over the default locale's (fallback) one.
    for pk, slug, key, _language in sorted(rows, key=lambda row: row[3] == ctx.language):
        keys[pk] = key
        keys[slug] = key
    for value in wanted:
        if value not in keys:
            # A well-formed reference to nothing here: 404, like a path id, naming the parameter.
            raise NotFound("delegation", _("No published delegation “%(value)s”.") % {"value": value})
    return {keys[value] for value in wanted}


def _news_position(order):
    """``(from JSON, to JSON)`` of the first column of a ``news/`` order (a date or a title)."""
    if order in ("date", "-date"):
        return datetime.date.fromisoformat, datetime.date.isoformat
    return cursors.text, str


@handle_errors
def news_list(request):
    """News cards, newest first by default, filtered and paginated: follow `next` (keyset
    cursors, the same cost at any depth), or ask for an `offset` (every skipped item read)."""

    def build():
        values = params.parse(request.GET, params.NEWS_LISTING)
        cursors.check_not_with_offset(request.GET)
        from_json, to_json = _news_position(values["order"])
        started, backwards = None, False
        if values["cursor"]:
            started, backwards = cursors.read("news", request.GET, from_json)
        ctx = ApiContext(request, values["locale"])
        keys = _delegation_keys(ctx, values["delegation"]) if values["delegation"] else None
        tag_ids = []
        if values["tag"]:
            found = tag_ids_for_slugs(values["tag"], ctx.language)
            listed = listed_tag_ids(found.values()) if found else set()
            for slug in values["tag"]:
                # A tag only drafts or hidden news carry is no tag to a reader (queries.listed_tag_ids).
                if found.get(slug) not in listed:
                    raise NotFound("tag", _("No tag “%(value)s”.") % {"value": slug})
            tag_ids = [found[slug] for slug in values["tag"]]
        search_ids = None
        if values["search"]:
            terms = params.search_terms(values["search"])
            search_ids = search_news_ids(terms, ctx.language, ctx.site) if terms else []
        offset, limit = values["offset"], values["limit"]
        filters = NewsFilters(
            delegation_keys=tuple(sorted(map(str, keys))) if keys is not None else None,
            tag_ids=tuple(tag_ids),
            date_from=values["date_from"],
            date_to=values["date_to"],
            search_ids=tuple(search_ids) if isinstance(search_ids, list) else search_ids,
            order=values["order"],
            changed_since=values["changed_since"],
        )
        if "offset" in request.GET:
            ids, count = news_page(ctx.language, ctx.roots, filters, offset, limit)
            next_url, previous_url = pagination(request, count, offset, limit)
        else:
            page = news_page_after(ctx.language, ctx.roots, filters, started, backwards, limit)
            ids, count = page.ids, page.total
            positions = [(to_json(value), pk) for value, pk in page.positions]
            if started is not None:
                started = (to_json(started[0]), started[1])
            next_url, previous_url = cursor_links(request, "news", positions, page.more, started, backwards)
        rows = card_rows_of(ids)
        return {"count": count, "next": next_url, "previous": previous_url, "items": build_cards(rows, ctx)}

    return cached_json(request, build)


@handle_errors
def removed_list(request):
    """News that left the listings of a locale (unpublished, deleted, moved or restricted out of
    what a reader gets), oldest first: with `news/?changed_since=`, what keeps a mirror exact."""

    def build():
        values = params.parse(request.GET, params.REMOVED_LISTING)
        started, backwards = None, False
        if values["cursor"]:
            started, backwards = cursors.read("removed", request.GET, datetime.datetime.fromisoformat)
        ctx = ApiContext(request, values["locale"])
        codes = fallback_codes(ctx.language, site=ctx.site)
        queryset = NewsRemoval.objects.for_site(codes, ctx.roots).still_removed()
        if values["changed_since"] is not None:
            queryset = queryset.filter(removed_at__gte=values["changed_since"])
        count = queryset.count()
        if started is not None:
            queryset = queryset.beyond(started, backwards)
        limit = values["limit"]
        rows = list(
            queryset.in_order(reverse=backwards).values(
                "page_id", "language", "translation_key", "removed_at"
            )[: limit + 1]
        )
        more = len(rows) > limit
        rows = rows[:limit]
        if backwards:
            rows.reverse()
        positions = [(row["removed_at"].isoformat(), row["page_id"]) for row in rows]
        if started is not None:
            started = (started[0].isoformat(), started[1])
        next_url, previous_url = cursor_links(request, "removed", positions, more, started, backwards)
        items = [
            {
                "page_id": row["page_id"],
                "locale": row["language"],
                "translation_key": str(row["translation_key"]),
                "removed_at": row["removed_at"],
            }
            for row in rows
        ]
        return {"count": count, "next": next_url, "previous": previous_url, "items": items}

    return cached_json(request, build)


@handle_errors
def news_detail(request, id: IdText = ID):
    """A news card with its resolved body and its translations."""

    def build():
        values = params.parse(request.GET, params.DETAIL)
        ctx = ApiContext(request, rich_text_format=values["rich_text_format"])
        return news_detail_payload(ctx, params.parse_id(id))

    return cached_json(request, build)


@handle_errors
def feed_list(request):
    """The NewsFeed snippets of a locale, each with its current items as news cards."""

    def build():
        values = params.parse(request.GET, params.FEEDS_LISTING)
        ctx = ApiContext(request, values["locale"])
        queryset = NewsFeed.objects.filter(locale__language_code=ctx.language).order_by("title", "pk")
        offset, limit = values["offset"], values["limit"]
        count = queryset.count()
        feeds = list(queryset.prefetch_related("delegations", "tags")[offset : offset + limit])
        resolved = load_feeds(None, ctx, feeds=feeds)
        next_url, previous_url = pagination(request, count, offset, limit)
        return {
            "count": count,
            "next": next_url,
            "previous": previous_url,
            "items": [resolved[f.pk] for f in feeds],
        }

    return cached_json(request, build, lists_feeds=True)


@handle_errors
def feed_detail(
    request,
    id_or_slug: IdOrSlugText = ID_OR_SLUG,
):
    """A NewsFeed snippet with its current items as news cards (by id, or by slug in a locale)."""

    def build():
        values = params.parse(request.GET, params.LOCALE_ONLY)
        key = params.parse_id_or_slug(id_or_slug, "id_or_slug")
        ctx = ApiContext(request, values["locale"])
        queryset = NewsFeed.objects.prefetch_related("delegations", "tags")
        if isinstance(key, int):
            feed = queryset.filter(pk=key).first()
            if feed is not None and values["locale"] and feed.locale.language_code != values["locale"]:
                feed = queryset.filter(
                    translation_key=feed.translation_key, locale__language_code=ctx.language
                ).first()
            elif feed is not None:
                ctx.use_language(feed.locale.language_code)
        else:
            feed = queryset.filter(slug=key, locale__language_code=ctx.language).first()
        if feed is None:
            raise NotFound("id_or_slug", _("No such feed in this language."))
        return load_feeds(None, ctx, feeds=[feed])[feed.pk]

    return cached_json(request, build)


@handle_errors
def page_find(request):
    """The detail of the page at a public path, with (`/fr/...`) or without language prefix."""

    def build():
        values = params.parse(request.GET, params.FIND)
        ctx = ApiContext(request, rich_text_format=values["rich_text_format"])
        path = values["path"]
        language, rest = ctx.default_language, path.lstrip("/")
        first = rest.split("/", 1)[0]
        if first in get_content_languages():
            language, rest = first, rest[len(first) + 1 :]
        ctx.use_language(language)
        url_path = ctx.root + (rest.strip("/") + "/" if rest.strip("/") else "")
        row = (
            current(Page.objects.filter(url_path=url_path, locale__language_code=language))
            .filter(ctx.in_site())
            .values("pk")
            .first()
        )
        if row is None:
            raise NotFound("path", _("No published page at this path."))
        try:
            return page_detail_payload(ctx, row["pk"])
        except NotFound:
            # A page of another type (the site's home): the path is what missed, not an id.
            raise NotFound("path", _("No page of this API at this path.")) from None

    return cached_json(request, build)


@handle_errors
def page_detail(request, id: IdText = ID):
    """Any page of this package, its payload typed by `meta.type`."""

    def build():
        values = params.parse(request.GET, params.DETAIL)
        ctx = ApiContext(request, rich_text_format=values["rich_text_format"])
        return page_detail_payload(ctx, params.parse_id(id))

    return cached_json(request, build)


def documented_parameters(path, query):
    """An operation's ``openapi_extra`` parameters: ``query``'s, with the path's where ninja
    would drop them."""
    extra = params.openapi_parameters(query)
    return extra if NINJA_MERGES_PARAMETERS else [*path_parameters(path), *extra]


def make_router():
    """A new Router with every endpoint (one per NinjaAPI that mounts it). Its
    ``cached_routes`` names the routes whose views answer through ``cached_json``."""
    router = Router(tags=["mmm"])
    cached_routes = set()

    def add(path, view, response, url_name, summary, query=(), description=None):
        cached_routes.add(url_name)
        router.add_api_operation(
            path,
            ["GET"],
            view,
            response={200: response, 304: None},
            url_name=url_name,
            summary=summary,
            description=description or view.__doc__,
            openapi_extra={
                "responses": ERROR_RESPONSES,
                **({"parameters": documented_parameters(path, query)} if query else {}),
            },
            # The document shows the names responses use (``meta.feeds.json``, not ``json_``).
            by_alias=True,
        )
        add_undocumented_methods(router, path, view, url_name)

    add("", api_root, dict[str, str], "mmm_api_root", "Links to the listings")
    add(
        "delegations/",
        delegation_list,
        DelegationList,
        "mmm_delegations",
        "Delegations with their latest news",
        params.LOCALE_ONLY,
    )
    add(
        "delegations/{id}/",
        delegation_detail,
        DelegationDetail,
        "mmm_delegation",
        "A delegation",
        params.DETAIL,
    )
    add("news/", news_list, NewsList, "mmm_news_list", "News cards", params.NEWS_LISTING)
    add("news/{id}/", news_detail, NewsDetail, "mmm_news", "A news item", params.DETAIL)
    add("feeds/", feed_list, FeedList, "mmm_feeds", "News feeds with their items", params.FEEDS_LISTING)
    add(
        "feeds/{id_or_slug}/", feed_detail, Feed, "mmm_feed", "A news feed with its items", params.LOCALE_ONLY
    )
    # Before pages/{id}/: "find" would otherwise be taken for an id.
    add(
        "pages/find/",
        page_find,
        DelegationIndex | DelegationDetail | NewsDetail,
        "mmm_page_find",
        "The page at a site path",
        params.FIND,
    )
    add(
        "pages/{id}/",
        page_detail,
        DelegationIndex | DelegationDetail | NewsDetail,
        "mmm_page",
        "Any page of this package, typed by meta.type",
        params.DETAIL,
    )
    add("site/", site_info, SiteInfo, "mmm_site", "The site: name, languages, home pages")
    add(
        "sitemap/", sitemap, Sitemap, "mmm_sitemap", "Every readable page of a locale", params.SITEMAP_LISTING
    )
    add(
        "removed/",
        removed_list,
        RemovedList,
        "mmm_removed",
        "News that left the listings",
        params.REMOVED_LISTING,
    )
    add(
        "redirects/",
        redirect_list,
        RedirectList,
        "mmm_redirects",
        "The site's redirects",
        params.REDIRECTS_LISTING,
    )
    add_catch_all(router)
    router.cached_routes = frozenset(cached_routes)
    return router


router = make_router()
