"""Which Wagtail Site answers a request: Wagtail's own answer, as the plain values the
package needs.

``find_site(request)`` asks ``Site.find_for_request`` (Wagtail's rules, and its memo on the
request: a page Wagtail serves has paid for it already) unless the request already carries
an answer: the response cache settles one (``settle``) from its per-process memo of hosts,
confirmed by the same freshness check as its entries (``cache.hosts``). Used by the API, the
pages and the feeds alike.
"""

from dataclasses import dataclass

from wagtail.models import Site

from .basepage import Page

__all__ = ["SiteRoute", "find_site", "route_of", "settle", "site_of_context"]

# The answer a request carries once found (``find_site``) or settled (``settle``).
_ATTRIBUTE = "_mmm_site_route"


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


def route_of(site):
    """The ``SiteRoute`` of a Wagtail ``Site`` (None for None)."""
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
    return SiteRoute(site.pk, site.hostname, site.port, site.is_default_site, site.site_name, language_code)


def find_site(request):
    """The ``SiteRoute`` of the Site answering ``request``, as ``Site.find_for_request`` finds
    it, or None; once per request."""
    route = getattr(request, _ATTRIBUTE, False)
    if route is False:
        route = route_of(Site.find_for_request(request))
        settle(request, route)
    return route


def settle(request, route):
    """Record ``route`` as the answer to ``request`` (found by the caller with Wagtail's rule)."""
    setattr(request, _ATTRIBUTE, route)


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
