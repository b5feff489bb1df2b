"""What a frontend needs about the site itself: ``site/`` (name, languages, root URLs),
``sitemap/`` (every readable page of a locale with its translations) and ``redirects/``
(Wagtail's redirects app, when installed).

Each is a fixed number of queries whatever the size of the site or page asked for, and
answers through ``cache.responses.cached_json`` like every endpoint: the payload's page ids and
its ``count``/``items`` give its dependency tags (``cache.dependency_tags.of_api_response``), so a
publish, unpublish or move in the site refreshes them. Redirects bump the ``mmm`` tag, pages
of other types ``mmm-sitemap`` (``cache.receivers``).
"""

from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery
from wagtail.coreutils import get_content_languages

from ..basepage import Page
from ..cache import dependency_tags
from ..cache.responses import cached_json
from ..queries import current
from . import cursors, params, translations
from .context import ApiContext
from .errors import handle_errors
from .pagination import cursor_links, pagination

REDIRECTS_APP = "wagtail.contrib.redirects"


def _path(url):
    """The path of an absolute URL, percent-decoded (slugs as typed), or None."""
    return unquote(urlsplit(url).path) if url else None


def _type_name(app_label, model):
    try:
        return apps.get_model(app_label, model)._meta.label
    except LookupError:  # a page type whose app is gone
        return f"{app_label}.{model}"


def _readable_in_site(ctx):
    return current(Page.objects.filter(depth__gt=1)).filter(ctx.in_site())


@handle_errors
def site_info(request):
    """The site answering the request: its name, its languages and their home pages."""

    def build():
        params.parse(request.GET, ())
        ctx = ApiContext(request)
        names = dict(get_content_languages())
        rows = {
            (row["language"], row["url_path"]): row
            for row in _readable_in_site(ctx)
            .filter(url_path__in=list(ctx.roots.values()))
            .values("pk", "url_path", "content_type_id", language=F("locale__language_code"))
        }
        languages = []
        for code in names:
            row = rows.get((code, ctx.roots.get(code)))
            if row is None:
                continue
            pk = row["pk"]
            url = ctx.html_url(row)
            languages.append(
                {
                    "code": code,
                    "name": str(names[code]),
                    "default": code == ctx.default_language,
                    "home": {"id": pk, "html_url": url, "path": _path(url)},
                }
            )
        return {
            "name": ctx.site.site_name or getattr(settings, "WAGTAIL_SITE_NAME", "") or ctx.site.hostname,
            "root_url": ctx.origin,
            "default_locale": ctx.default_language,
            "languages": languages,
            "api_url": ctx.api_base,
        }

    # The home pages are of the site's own types: their publishes bump ``mmm-sitemap``.
    return cached_json(request, build, extra_tags={dependency_tags.SITEMAP})


@handle_errors
def sitemap(request):
    """Every readable page of the site in a locale (live, public, current, not an alias), in
    tree order, with its published translations: for sitemap.xml with hreflang alternates and
    for pre-rendering every page."""

    def build():
        values = params.parse(request.GET, params.SITEMAP_LISTING)
        cursors.check_not_with_offset(request.GET)
        started, backwards = None, False
        if values["cursor"]:
            started, backwards = cursors.read("sitemap", request.GET, cursors.text)
        ctx = ApiContext(request, values["locale"])
        queryset = _readable_in_site(ctx).filter(locale__language_code=ctx.language)
        offset, limit = values["offset"], values["limit"]
        count = queryset.count()
        by_offset = "offset" in request.GET
        # Tree order: the tree path, unique, is the position (its index makes a cursor's page
        # a range read at any depth).
        if started is not None:
            queryset = queryset.filter(**{"path__lt" if backwards else "path__gt": started[0]})
        rows = queryset.order_by("-path" if backwards else "path").values(
            "pk",
            "title",
            "url_path",
            "path",
            "content_type_id",
            "last_published_at",
            app_label=F("content_type__app_label"),
            model=F("content_type__model"),
        )
        rows = list(rows[offset : offset + limit] if by_offset else rows[: limit + 1])
        more = len(rows) > limit and not by_offset
        rows = rows[:limit]
        if backwards:
            rows.reverse()
        types = {row["pk"]: _type_name(row["app_label"], row["model"]) for row in rows}
        translations.load(ctx, types)
        items = []
        for row in rows:
            url = ctx.html_url(row)
            items.append(
                {
                    "id": row["pk"],
                    "title": row["title"],
                    "type": types[row["pk"]],
                    "locale": ctx.language,
                    "html_url": url,
                    "path": _path(url),
                    "last_published_at": row["last_published_at"],
                    "translations": [
                        {
                            "locale": other["locale"],
                            "id": other["id"],
                            "html_url": other["html_url"],
                            "path": _path(other["html_url"]),
                        }
                        for other in ctx.translations[row["pk"]]
                    ],
                }
            )
        if by_offset:
            next_url, previous_url = pagination(request, count, offset, limit)
        else:
            positions = [(row["path"], row["pk"]) for row in rows]
            next_url, previous_url = cursor_links(request, "sitemap", positions, more, started, backwards)
        return {"count": count, "next": next_url, "previous": previous_url, "items": items}

    return cached_json(request, build, extra_tags={dependency_tags.SITEMAP})


def _location(ctx, url):
    """A target URL as a frontend of this site uses it: a path when it is on this site."""
    origin = ctx.origin
    if url and (url == origin or url.startswith(origin + "/")):
        return url[len(origin) :] or "/"
    return url


@handle_errors
def redirect_list(request):
    """Wagtail's redirects for this site (its own and those of every site; a site's own wins
    over an all-sites one of the same path), by old path. A redirect to a page a reader may
    not get (draft, private, expired…) is left out, its target unnamed."""

    def build():
        values = params.parse(request.GET, params.REDIRECTS_LISTING)
        ctx = ApiContext(request)
        offset, limit = values["offset"], values["limit"]
        if not apps.is_installed(REDIRECTS_APP):
            return {"count": 0, "next": None, "previous": None, "items": []}
        from wagtail.contrib.redirects.models import Redirect

        own = Redirect.objects.filter(site_id=ctx.site.pk)
        readable = current(Page.objects.filter(pk=OuterRef("redirect_page_id")))
        queryset = (
            Redirect.objects.filter(Q(site_id=ctx.site.pk) | Q(site__isnull=True))
            .exclude(site__isnull=True, old_path__in=own.values("old_path"))
            .filter(
                Q(redirect_page__isnull=True, redirect_link__gt="")
                | Q(redirect_page__in=Subquery(readable.values("pk")))
            )
        )
        count = queryset.count()
        rows = queryset.order_by("old_path", "pk").values(
            "old_path",
            "site_id",
            "is_permanent",
            "redirect_link",
            "redirect_page_id",
            "redirect_page_route_path",
            page_path=F("redirect_page__url_path"),
            page_type=F("redirect_page__content_type_id"),
        )[offset : offset + limit]
        items = []
        for row in rows:
            page = None
            if row["redirect_page_id"] is not None:
                url = ctx.html_url(
                    {
                        "pk": row["redirect_page_id"],
                        "url_path": row["page_path"],
                        "content_type_id": row["page_type"],
                    }
                )
                page = {"id": row["redirect_page_id"], "html_url": url}
                target = url
                if url and row["redirect_page_route_path"]:
                    target = url.rstrip("/") + row["redirect_page_route_path"]
            else:
                target = row["redirect_link"]
            items.append(
                {
                    "old_path": row["old_path"],
                    "location": _location(ctx, target),
                    "page": page,
                    "is_permanent": row["is_permanent"],
                    "site_specific": row["site_id"] is not None,
                }
            )
        next_url, previous_url = pagination(request, count, offset, limit)
        return {"count": count, "next": next_url, "previous": previous_url, "items": items}

    return cached_json(request, build, extra_tags={dependency_tags.SITEMAP})
