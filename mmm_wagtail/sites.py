"""Which Wagtail Site answers a request, without a query per request.

Wagtail's ``Site.find_for_request`` runs a query on every request; building and compiling
it was a tenth of an uncached ``news/`` listing. Sites change rarely and are few, so their
routing columns are kept in Django's default cache, as Wagtail keeps its site root paths,
and dropped the same way: whenever a Site is saved or deleted (``signals.py``). The
matching applies Wagtail's rules (``wagtail.models.sites.get_site_for_hostname``) to them.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.http.request import split_domain_port
from wagtail.models import Site

SITES_KEY = "mmm_wagtail:sites"
# Dropped on every Site change; the timeout bounds how stale a per-process cache
# (LocMemCache, several processes) can be, at the cost of one query per process and period.
SITES_TIMEOUT = 300


@dataclass(frozen=True)
class SiteRoute:
    """What the API needs of a Site: its id and the language of its root page."""

    pk: int
    hostname: str
    port: int
    is_default_site: bool
    language_code: str


def site_routes():
    """Every Site as a ``SiteRoute``, from the cache (one query after a change)."""
    routes = cache.get(SITES_KEY)
    if routes is None:
        routes = [
            SiteRoute(*row)
            for row in Site.objects.order_by("pk").values_list(
                "pk", "hostname", "port", "is_default_site", "root_page__locale__language_code"
            )
        ]
        cache.set(SITES_KEY, routes, timeout=SITES_TIMEOUT)
    return routes


def forget_sites():
    cache.delete(SITES_KEY)


def match_site(routes, hostname, port):
    """The route Wagtail would choose for ``hostname`` and ``port``, or None.

    In order: the site with this hostname and port; the default site if it has this
    hostname; the only site with this hostname when the default site has another;
    the default site; a lone site with this hostname.
    """
    candidates = [r for r in routes if r.hostname == hostname or r.is_default_site]
    exact = [r for r in candidates if r.hostname == hostname and r.port == port]
    if exact:
        return exact[0]
    named_default = [r for r in candidates if r.hostname == hostname and r.is_default_site]
    if named_default:
        return named_default[0]
    defaults = [r for r in candidates if r.is_default_site]
    named = [r for r in candidates if not r.is_default_site]
    if defaults:
        return named[0] if len(named) == 1 else defaults[0]
    return named[0] if len(named) == 1 else None


def find_site(request):
    """The ``SiteRoute`` answering ``request``, as ``Site.find_for_request`` would, or None."""
    # The raw host, as Wagtail does: ALLOWED_HOSTS is checked where URLs are built.
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()  # a string, compared as a number like the database does
    return match_site(site_routes(), hostname, int(port) if port.isdigit() else None)
