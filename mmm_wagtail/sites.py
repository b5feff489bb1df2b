"""Which Wagtail Site answers a request: Wagtail's own answer, memoised.

Wagtail's ``Site.find_for_request`` runs a query on every request; building and compiling
it was a tenth of an uncached ``news/`` listing. Sites change rarely and a site answers few
host names, so the answer Wagtail gives for a host and port (``Site.find_for_request``, its
rules, not ours) is kept, as plain values, in one entry of the ``CACHE_ALIAS`` cache and
dropped whenever a Site is saved or deleted (``signals.py``). ``CACHE_ALIAS: None`` turns
it off: every request asks Wagtail. The entry's key carries ``VERSION``: a release that
changes what is stored bumps it, so an old entry is never read as a new one.

Used by the API, the pages and the feeds alike: ``find_site(request)``.
"""

from dataclasses import dataclass

from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from wagtail.models import Site

from . import conf
from .basepage import Page

__all__ = ["SiteRoute", "find_site", "forget_sites", "site_of_context"]

VERSION = 2
SITES_KEY = f"mmm_wagtail:sites:v{VERSION}"
# Host names remembered per entry: a Host header naming no site is answered by the default
# site, and arbitrary names (ALLOWED_HOSTS = ["*"]) must not grow the entry without bound.
MAX_HOSTS = 64


@dataclass(frozen=True)
class SiteRoute:
    """What the package needs of the Site answering a request."""

    pk: int
    hostname: str
    port: int
    is_default_site: bool
    site_name: str
    # The language of the site's root page.
    language_code: str

    @property
    def root_url(self):
        """``Site.root_url``'s rule."""
        if self.port == 80:
            return f"http://{self.hostname}"
        if self.port == 443:
            return f"https://{self.hostname}"
        return f"http://{self.hostname}:{self.port}"


def _cache():
    alias = conf.get("CACHE_ALIAS")
    return None if alias is None else caches[alias]


def _route_values(site):
    """Wagtail's Site as the plain values stored (no pickled class: a changed ``SiteRoute``
    never meets an old pickle of itself)."""
    if site is None:
        return None
    # The root page's language from Wagtail's cached site root paths (the API reads them on
    # every request anyway); Wagtail's query selected root_page, not its locale.
    root = site.root_page
    language_code = (
        next(
            (
                rp.language_code
                for rp in Site.get_site_root_paths()
                if rp.site_id == site.pk and rp.root_path == root.url_path
            ),
            None,
        )
        or root.locale.language_code
    )
    return (site.pk, site.hostname, site.port, site.is_default_site, site.site_name, language_code)


def find_site(request):
    """The ``SiteRoute`` of the Site answering ``request``, as ``Site.find_for_request`` finds it,
    or None; no query once the cache holds this host's answer."""
    route = getattr(request, "_mmm_site_route", False)
    if route is not False:
        return route
    try:
        host = f"{split_domain_port(request.get_host())[0]}:{request.get_port()}"
    except DisallowedHost:
        # A host outside ALLOWED_HOSTS (Django's CommonMiddleware answers it 400 first): Wagtail,
        # which reads the raw host, still answers; such names are never remembered.
        host = None
    cache = _cache() if host is not None else None
    known = (cache.get(SITES_KEY) if cache is not None else None) or {}
    if host in known:
        values = known[host]
    else:
        values = _route_values(Site.find_for_request(request))
        if cache is not None and len(known) < MAX_HOSTS:
            # A lost update between two processes only costs one more query later.
            cache.set(SITES_KEY, {**known, host: values}, timeout=conf.get("SITES_TIMEOUT"))
    route = SiteRoute(*values) if values is not None else None
    request._mmm_site_route = route
    return route


def forget_sites():
    """Drop the remembered answers (a Site was saved or deleted)."""
    cache = _cache()
    if cache is not None:
        cache.delete(SITES_KEY)


def site_of_context(context):
    """The Site a template context renders for: its request's (``find_site``), else its
    page's (a template rendered without a request, e.g. a block rendered on its own); None
    when it has neither. What scopes a feed's items in a block, a template tag or a preview."""
    context = context or {}
    request = context.get("request")
    if request is not None:
        return find_site(request)
    page = context.get("page")
    return page.get_site() if isinstance(page, Page) else None
