"""The Site answering each host, remembered per process for the response cache.

A cached hit needs the Site before it can name its entry (``responses._key``), and asking
Wagtail (``Site.find_for_request``) is a query of its own. So each process remembers
Wagtail's answer per host, stamped with the counter's version read just before asking
(``versions.counter``), and the answer is fresh by the rule every entry follows: unless the
tag ``tags.ALL`` changed since its stamp (a Site, a Locale, a view restriction, a redirect
saved or deleted: ``receivers._structure_changed``), or the counter is older than the stamp
(read inside a transaction that rolled back). A hit asks that in its one query
(``versions.changed_since(..., structure_since=stamp)``); a miss confirms the answer
against the versions it reads before building (``confirmed``), so every process sees a
Site change at its next request, whatever the cache backend.
"""

import threading

from django.http.request import split_domain_port
from wagtail.models import Site

from ..sites import route_of
from . import versions

# Host names remembered per process: a Host header naming no site is answered by the default
# site, and arbitrary names (ALLOWED_HOSTS = ["*"]) must not grow the memo without bound.
MAX_HOSTS = 64

# {"host:port": (SiteRoute or None, stamp)}: immutable values, written under the lock, read
# without it (a dict read sees a whole value or none).
_known = {}
_lock = threading.Lock()


def _host(request):
    """The memo's key: the host name and port Wagtail's rule reads. ``get_host()`` raises
    ``DisallowedHost`` (a 400) for a host outside ``ALLOWED_HOSTS``: such a request is never
    answered from the cache, and its host never remembered."""
    return f"{split_domain_port(request.get_host())[0]}:{request.get_port()}"


def _ask_wagtail(request, host, stamp):
    route = route_of(Site.find_for_request(request))
    with _lock:
        if host in _known or len(_known) < MAX_HOSTS:
            _known[host] = (route, stamp)
    return route, stamp


def remembered(request):
    """``(route, stamp)`` for ``request``: the memo's, else Wagtail's answer now (remembered)."""
    host = _host(request)
    known = _known.get(host)
    if known is not None:
        return known
    return _ask_wagtail(request, host, versions.counter())


def current(request):
    """Wagtail's answer for ``request`` from the memo while its stamp holds (one indexed query),
    for views outside the response cache (the preview)."""
    route, stamp = remembered(request)
    if versions.changed_since((), stamp, structure_since=stamp):
        route, stamp = _ask_wagtail(request, _host(request), versions.counter())
    return route


def confirmed(request, route, stamp, snapshot):
    """``route`` (stamped ``stamp``) if still right by ``snapshot`` (the versions a miss read
    before building), else Wagtail's answer now, stamped with the snapshot's version."""
    if snapshot.structure_version <= stamp <= snapshot.version:
        return route
    return _ask_wagtail(request, _host(request), snapshot.version)[0]


def forget():
    """Drop every remembered answer (tests; a change reaches the memo by its stamp)."""
    with _lock:
        _known.clear()
