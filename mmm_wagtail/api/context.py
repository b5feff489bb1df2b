"""What every response needs to know about its request: site, locale, URLs.

One ``ApiContext`` per request. It finds the Site (``sites.find_site``, no query once the
sites are cached) and takes the site's root in each language from Wagtail's cached site root
paths (``roots``, the ``root`` mapping every listing of ``queries`` takes), so listings are
scoped to the requesting site's tree, in the requested locale and its fallback, without
another query, and page URLs are built without touching the database.
"""

import functools
from urllib.parse import quote

from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils import translation
from wagtail.models import Site

from ..locales import site_roots, under_roots
from ..models import PAGE_TYPES, DelegationPage, NewsPage
from ..sites import find_site
from .errors import NotFound

# A url_path prefix no page has (slugs hold no spaces): the scope of a locale the site's
# root page is not translated into.
NOWHERE = "/ no such root /"

# {model name: the type name of ``meta.type``} ("newspage": "mmm_wagtail.NewsPage"), from the models.
TYPE_NAMES = {model._meta.model_name: model._meta.label for model in PAGE_TYPES}
DETAIL_ROUTES = {
    DelegationPage._meta.label: "delegations/%d/",
    NewsPage._meta.label: "news/%d/",
}


def site_origin(request, site=None):
    """``scheme://host[:port]`` of the Site answering ``request`` (``Site.root_url``'s rule).

    Never the raw Host header: a Host that names no site is answered by the default site,
    and echoing it into links would let anyone write them into a shared cache that does not
    key on Host. None when no site answers.
    """
    site = site or find_site(request)
    if site is None:
        return None
    return site.root_url


@functools.lru_cache(maxsize=64)
def _serve_prefix(language_code, urlconf):
    # Wagtail's own URLs under i18n_patterns carry the language prefix; reverse once
    # per language instead of once per page.
    with translation.override(language_code):
        try:
            return reverse("wagtail_serve", args=("",), urlconf=urlconf)
        except NoReverseMatch:
            return "/"


def content_language(request):
    """``[("Content-Language", code)]`` for an API response: the language of the content the
    request's ``ApiContext`` answered in (a listing's ``locale``, a detail page's own language).

    Set on the response before ``LocaleMiddleware``, which would otherwise announce the reader's
    interface language (from ``Accept-Language``): French JSON labelled ``en``. Empty when no
    context was made (the middleware's value stands).
    """
    code = getattr(request, "_mmm_content_language", None)
    return [("Content-Language", code)] if code else []


class ApiContext:
    def __init__(self, request, language=None):
        self.request = request
        self.site = find_site(request)
        if self.site is None:
            raise NotFound(None, "No site is configured for this host.")
        self.root_paths = Site.get_site_root_paths()
        # {language code: url_path of the site's root in it}: the scope of every listing.
        self.roots = site_roots(self.site, self.root_paths)
        self.roots_key = tuple(sorted(self.roots.items()))  # hashable, for ``statements``
        # The language of the site's root page itself.
        self.default_language = self.site.language_code
        self.language = language or self.default_language
        self.root = self.roots.get(self.language, NOWHERE)
        request._mmm_content_language = self.language  # see content_language()
        self._api_base = None
        self._origin = None
        self._cache = {}
        # {page id: [translation dicts]}, filled by ``translations.load`` for a whole response.
        self.translations = {}
        self.translation_paths = {}

    def use_language(self, language_code):
        """Answer in ``language_code`` (a detail page's own language)."""
        if language_code != self.language:
            self.language = language_code
            self.request._mmm_content_language = language_code
            self.root = self.roots.get(language_code, NOWHERE)
            self._cache.clear()

    # URLs -----------------------------------------------------------------------------------

    def html_url(self, url_path, language_code):
        """The absolute public URL of a page, like Page.full_url, from its url_path."""
        best = None
        for rp in self.root_paths:
            if not url_path.startswith(rp.root_path):
                continue
            rank = (rp.site_id == self.site.pk, rp.language_code == language_code)
            if best is None or rank > best[0]:
                best = (rank, rp)
        if best is None:
            return None
        rp = best[1]
        rest = quote(url_path[len(rp.root_path) :], safe="/~:@!$&'()*+,;=")
        return rp.root_url + _serve_prefix(language_code, get_urlconf()) + rest

    @property
    def api_base(self):
        """The absolute URL our router is mounted at, wherever that is."""
        if self._api_base is None:
            match = self.request.resolver_match
            name = "mmm_api_root"
            if match is not None and match.namespace:
                name = f"{match.namespace}:{name}"
            self._api_base = self.origin + reverse(name)
        return self._api_base

    def detail_url(self, type_name, pk):
        return self.api_base + (DETAIL_ROUTES.get(type_name, "pages/%d/") % pk)

    @property
    def origin(self):
        """``scheme://host[:port]`` of the requesting site (see ``site_origin``)."""
        if self._origin is None:
            self._origin = site_origin(self.request, self.site)
        return self._origin

    def absolute(self, url):
        if url and url.startswith("/") and not url.startswith("//"):
            return self.origin + url
        return url

    def meta(self, row, type_name, language_code=None):
        """``meta`` of a page row; its locale is the row's own ``language`` when it has one
        (a fallback page keeps its real locale), else the request's."""
        language_code = language_code or row.get("language") or self.language
        meta = {
            "type": type_name,
            "locale": language_code,
            "slug": row["slug"],
            "html_url": self.html_url(row["url_path"], language_code),
            "detail_url": self.detail_url(type_name, row["pk"]),
            "first_published_at": row["first_published_at"],
            "last_published_at": row["last_published_at"],
        }
        if row["pk"] in self.translations:
            meta["translations"] = self.translations[row["pk"]]
        return meta

    def in_site(self):
        """A Q for pages in the requesting site's tree, in any of its languages."""
        return under_roots(self.roots)

    def remembered(self, key):
        """What ``memo`` keeps under ``key`` for this response, or None."""
        return self._cache.get(key)

    def memo(self, key, build):
        """Per-request memo: a value several parts of one response need (e.g. delegations)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]
