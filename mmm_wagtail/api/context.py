"""What every response needs to know about its request: site, locale, URLs.

One ``ApiContext`` per request. It finds the Site (``sites.find_site``, no query once the
sites are cached) and takes the site's root in each language from Wagtail's cached site root
paths (``roots``, the ``root`` mapping every listing of ``queries`` takes), so listings are
scoped to the requesting site's tree, in the requested locale and its fallback, without
another query. Page URLs are Wagtail's own (``Page.get_full_url``) on page objects built
from the rows (``page_object``), without touching the database.
"""

import copy
import functools

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import Site, get_page_models

from ..basepage import Page
from ..locales import default_language_code, site_roots, under_roots
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


# The methods through which Wagtail gives a page's URL; a page type overriding one of them
# routes its pages itself, and its URL needs an object of that type.
URL_METHODS = ("get_url_parts", "get_full_url")


@functools.cache
def _self_routed_models():
    """The page models that override one of ``URL_METHODS`` (fixed once the apps are loaded)."""
    return tuple(
        model
        for model in get_page_models()
        if any(getattr(model, name) is not getattr(Page, name) for name in URL_METHODS)
    )


@functools.lru_cache(maxsize=256)
def _prototype(model, known):
    """A ``model`` instance with only the attnames ``known`` loaded (``from_db``: the others
    deferred), and those of them that are the page's id (a multi-table child's parent links).
    Building a page object runs Wagtail's and modelcluster's ``__init__`` (a few hundred µs
    under load); a copy of this one (Python's ``copy``, Django's pickling state) does not."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in known]
    links = [f.attname for f in model._meta.concrete_fields if f.remote_field and f.remote_field.parent_link]
    values = dict.fromkeys((*names, *links))
    values["id"] = -1  # an id (a new page's __init__ would look up its content type); replaced
    ordered = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(None, ordered, [values[name] for name in ordered]), tuple(links)


def page_object(row, model=Page):
    """A ``model`` instance of the page of ``row`` (``pk``, ``url_path``, and ``slug``, ``title``,
    ``content_type_id`` when the row has them), every other field deferred (Django loads a
    deferred field if a page type's URL method reads it): what Wagtail's URL methods read,
    without a query."""
    known = {"id": row["pk"], "url_path": row["url_path"]}
    for name in ("slug", "title", "content_type_id"):
        if name in row:
            known[name] = row[name]
    prototype, links = _prototype(model, frozenset(known))
    page = copy.copy(prototype)
    page.__dict__.update(known)
    for name in links:
        setattr(page, name, row["pk"])
    return page


def content_language(request):
    """``[("Content-Language", code)]`` for an API response: the language of the content the
    request's ``ApiContext`` answered in (a listing's ``locale``, a detail page's own language).

    Set on the response before ``LocaleMiddleware``, which would otherwise announce the reader's
    interface language (from ``Accept-Language``): French JSON labelled ``en``. Empty when no
    context was made (the middleware's value stands).
    """
    code = getattr(request, "_mmm_content_language", None)
    return [("Content-Language", code)] if code else []


def linked_pages(request):
    """The ids of the pages that the rich text and blocks of an API response link to
    (``ApiContext.links_pages``), hidden ones included: a change to one of them changes the
    response (a link gains or loses its ``href``) though its JSON may not name the page (an
    HTML string, a link dropped)."""
    return getattr(request, "_mmm_linked_pages", frozenset())


class ApiContext:
    def __init__(self, request, language=None, rich_text_format="html"):
        self.request = request
        # ``params.RICH_TEXT_FORMAT``: how ``api.streamfield`` renders rich text.
        self.rich_text_format = rich_text_format
        self.site = find_site(request)
        if self.site is None:
            raise NotFound(None, "No site is configured for this host.")
        self.root_paths = Site.get_site_root_paths()
        # {language code: url_path of the site's root in it}: the scope of every listing.
        self.roots = site_roots(self.site, self.root_paths)
        self.roots_key = tuple(sorted(self.roots.items()))  # hashable, for ``statements``
        # The language of the site's root page itself.
        self.default_language = default_language_code(self.site)
        self.language = language or self.default_language
        self.root = self.roots.get(self.language, NOWHERE)
        request._mmm_content_language = self.language  # see content_language()
        self._api_base = None
        self._origin = None
        self._cache = {}
        self._routed = None
        # {page id: [translation dicts]}, filled by ``translations.load`` for a whole response.
        self.translations = {}
        self.translation_paths = {}

    def links_pages(self, ids):
        """Record that the response links the pages ``ids`` (see ``linked_pages``)."""
        self.request._mmm_linked_pages = linked_pages(self.request) | frozenset(ids)

    def use_language(self, language_code):
        """Answer in ``language_code`` (a detail page's own language)."""
        if language_code != self.language:
            self.language = language_code
            self.request._mmm_content_language = language_code
            self.root = self.roots.get(language_code, NOWHERE)
            self._cache.clear()

    # URLs -----------------------------------------------------------------------------------

    def html_url(self, row):
        """The absolute public URL of the page of ``row`` (``pk``, ``url_path``, and
        ``content_type_id`` so that a page type with its own routing is asked): Wagtail's
        ``get_full_url``, its rules (``WAGTAIL_APPEND_SLASH``, language prefixes, a page in
        several sites, overridden ``get_url_parts``), on a page object built from the row. No
        query: Wagtail keeps the site root paths on the request."""
        model = self._routed_by_content_type().get(row.get("content_type_id"), Page)
        return page_object(row, model).get_full_url(self.request)

    def _routed_by_content_type(self):
        # {content type id: page model overriding a URL method}; Django caches content types,
        # so a site with no such model asks nothing and one with them asks once per process.
        if self._routed is None:
            models = _self_routed_models()
            found = ContentType.objects.get_for_models(*models, for_concrete_models=False) if models else {}
            self._routed = {content_type.pk: model for model, content_type in found.items()}
        return self._routed

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
            "html_url": self.html_url(row),
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
