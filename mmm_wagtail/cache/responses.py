"""The response cache of the API and the syndication feeds: entries, hits, ETag,
Last-Modified, 304s, Cache-Control and the cache-tag header.

An entry holds the finished body, its headers, the dependency tags it was built from
(``tags``), the counter's version read before it was built and the moment of the next
scheduled change (``versions.snapshot``). A hit is fresh unless ``versions.changed_since``
says otherwise (one indexed query), whatever the cache backend. Conditional requests and
Cache-Control go through Django's own ``get_conditional_response`` and
``patch_cache_control``, for the API and the feeds alike.
"""

import functools
import hashlib
import json
import time
from urllib.parse import urlencode

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import SuspiciousOperation
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from .. import conf
from ..sites import find_site, settle
from . import dependency_tags, hosts, versions

RESPONSE_KEY = "mmm_wagtail:response:%s"
# Bumped when the layout of a cached entry changes, so no process reads an old one.
ENTRY_FORMAT = 7
HIT_METHODS = ("GET", "HEAD")
JSON = "application/json"


def response_cache():
    """The cache of ``CACHE_ALIAS``, or None when responses are not cached."""
    alias = conf.get("CACHE_ALIAS")
    return caches[alias] if alias else None


# Each process keeps its own copy of the entries it last read from a shared cache (Redis,
# Memcached): a hit there is a network round trip, here a dict read. A copy is checked by the
# same freshness query as the shared entry (fresh unless one of its tags changed since its
# version, wherever it is kept), so it is never served late; it only spares the round trip.
_LOCAL = "mmm_wagtail:local-responses"


def local_copies(cache):
    """The per-process copies in front of ``cache`` (a Django ``LocMemCache`` bounded by
    ``CACHE_LOCAL_ENTRIES``), or None for an in-memory ``cache``, Django's dummy cache (which
    keeps nothing, and neither do we) or a bound of 0."""
    entries = conf.get("CACHE_LOCAL_ENTRIES")
    if isinstance(cache, (LocMemCache, DummyCache)) or not entries:
        return None
    return _local_cache(entries)


@functools.cache
def _local_cache(entries):
    return LocMemCache(_LOCAL, {"OPTIONS": {"MAX_ENTRIES": entries}})


def forget_local_copies():
    """Drop this process's copies (tests: a database rolled back reuses versions)."""
    LocMemCache(_LOCAL, {}).clear()  # every LocMemCache of one name shares its entries


def encode(payload):
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def _newest_publication(payload):
    # Without a response cache, a response is as new as the newest page it lists.
    items = payload.get("items") if isinstance(payload, dict) else None
    metas = [item.get("meta", {}) for item in items] if isinstance(items, list) else [payload.get("meta", {})]
    dates = [meta.get("last_published_at") for meta in metas if isinstance(meta, dict)]
    dates = [date for date in dates if date is not None]
    return int(max(dates).timestamp()) if dates else None


def _key(request, site):
    """The entry's key: the same for equivalent requests, different for any two a view could
    answer differently, and drawn from a set an anonymous client cannot grow at will.

    - The Site answering the request (``site``: Wagtail's rule, through ``hosts``), not the raw Host:
      every link of a body comes from the Site (``api.context.site_origin``), so a Host with
      another port, or another name the same Site answers, is the same request.
      ``hosts.remembered`` reads ``get_host()`` first: a Host outside ``ALLOWED_HOSTS`` is a
      400 on a hit too.
    - The query's pairs in any order, encoded or not, a repeated pair once (``params.parse``
      reads repeats of one value as one value, the ``next``/``previous`` links drop them).

    The parts are joined with NUL, which none of them holds (the query is URL-encoded, the
    path's NUL too): no two requests make the same text.
    """
    # No Site at all (none answers this host, none is the default): links fall back to the Host.
    origin = f"site {site.pk}" if site is not None else f"host {request.get_host()}"
    pairs = {(key, value) for key, values in request.GET.lists() for value in values}
    query = urlencode(sorted(pairs))
    # The tag header's name is part of the stored headers.
    raw = f"{ENTRY_FORMAT}\0{conf.get('CACHE_TAG_HEADER')}\0{origin}\0{request.path}\0{query}"
    return RESPONSE_KEY % hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _empty_page(payload):
    """A page of a listing with no item: past the listing's ``count`` (any ``offset`` up to
    ``params.MAX_OFFSET``), or a filter or search matching nothing. Such pages are not
    stored: their keys are as many as the values a client can invent, and with no card to
    build they cost little more than a hit."""
    return isinstance(payload, dict) and "count" in payload and payload.get("items") == []


def tag_header(tags):
    """The value of the cache-tag header: comma-separated for Cache-Tag, else space-separated."""
    name = conf.get("CACHE_TAG_HEADER")
    return (", " if name.lower() == "cache-tag" else " ").join(sorted(tags))


@functools.lru_cache(maxsize=64)
def _cache_control(max_age, s_maxage, stale_while_revalidate):
    # Made once per combination: a hit sets the same few values again and again.
    response = HttpResponse()
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=s_maxage,
        stale_while_revalidate=stale_while_revalidate,
    )
    return response["Cache-Control"]


def _timeout(valid_until):
    """Seconds an entry is kept: ``CACHE_TIMEOUT``, less before the next scheduled change."""
    timeout = conf.get("CACHE_TIMEOUT")
    if valid_until is not None:
        timeout = max(1, min(timeout, int(valid_until - time.time()) + 1))
    return timeout


CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def _respond(request, entry):
    response = HttpResponse(entry["body"], headers=entry["headers"])
    s_maxage = conf.get("CACHE_S_MAXAGE")
    max_age = conf.get("CACHE_MAX_AGE")
    valid_until = entry["valid_until"]
    if valid_until is not None:
        # A CDN or browser must not keep a response past its next scheduled change either.
        left = max(0, int(valid_until - time.time()))
        s_maxage, max_age = min(s_maxage, left), min(max_age, left)
    response["Cache-Control"] = _cache_control(max_age, s_maxage, conf.get("CACHE_STALE_WHILE_REVALIDATE"))
    if any(name in request.META for name in CONDITIONS):
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
        )
    return response


# Set on a request whose cache lookup was made (``answering_hits_first``): ``cached`` does
# not ask twice.
_LOOKED_UP = "_mmm_cache_looked_up"


def _fresh(entry, stamp):
    """Whether ``entry`` may be served (found with the host's Site answer stamped ``stamp``)."""
    if entry is None:
        return False
    valid_until = entry["valid_until"]
    if valid_until is not None and valid_until <= time.time():
        return False
    return not versions.changed_since(entry["tags"], entry["version"], structure_since=stamp)


def _lookup(request, cache):
    """``(response or None, the Site answer used, its stamp)``."""
    route, stamp = hosts.remembered(request)
    key = _key(request, route)
    local = local_copies(cache)
    entry = local.get(key) if local is not None else None
    if not _fresh(entry, stamp):
        # No copy here, or one older than a change: another process may have stored the
        # entry built since.
        entry = cache.get(key)
        if not _fresh(entry, stamp):
            return None, route, stamp
        if local is not None:
            local.set(key, entry, timeout=_timeout(entry["valid_until"]))
    response = _respond(request, entry)
    # For measurements (the multi-process freshness test reads it through a middleware).
    response.mmm_cache_hit = True
    return response, route, stamp


def lookup(request):
    """The response to ``request`` from the response cache if a fresh one is there, else None."""
    cache = response_cache()
    if cache is None or request.method not in HIT_METHODS:
        return None
    response, route, stamp = _lookup(request, cache)
    setattr(request, _LOOKED_UP, (route, stamp))
    return response


def answering_hits_first(view):
    """``view`` (a Django view answering through ``cached``) preceded by ``lookup``: a fresh
    entry is sent before the view's framework binds anything. Only for views whose own work
    before ``cached`` decides nothing a hit depends on (the API's routes on its own NinjaAPI,
    with no auth and no throttle: ``api.urls``)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = lookup(request)
        except SuspiciousOperation:
            # Too many query parameters and its kin: the view reads them again and answers
            # with its 400.
            response = None
        return response if response is not None else view(request, *args, **kwargs)

    return wrapper


def cached(request, build, content_type, tags_of, storable=None):
    """A response from the response cache when still fresh, else built, cached and sent.

    ``build()`` returns ``(body bytes, extra headers, built)``: ``tags_of(built)`` returns
    the set of tags the response depends on; ``storable(built)``, when given, says whether
    the shared cache keeps it (an error raised by ``build`` is never stored).
    """
    # Only GET and HEAD answers are read from or stored in the cache.
    cache = response_cache() if request.method in HIT_METHODS else None
    snapshot = None
    if cache is not None:
        looked_up = getattr(request, _LOOKED_UP, None)
        if looked_up is None:
            response, route, stamp = _lookup(request, cache)
            if response is not None:
                return response
        else:
            route, stamp = looked_up
        # Read before building: a change committed while we build has a newer version,
        # so the entry is stale at its next hit rather than fresh forever.
        snapshot = versions.snapshot()
        # The Site the entry is keyed by, and the one the build reads (``find_site``).
        settle(request, hosts.confirmed(request, route, stamp, snapshot))
    body, headers, built = build()
    tags = sorted(tags_of(built))
    if snapshot is not None:
        last_modified = snapshot.last_modified and int(snapshot.last_modified.timestamp())
        valid_until = snapshot.valid_until and snapshot.valid_until.timestamp()
    else:
        last_modified = _newest_publication(built) if content_type == JSON else None
        valid_until = None
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    # Which site answers, and so every link and listing, depends on the Host header: a
    # shared cache must key on it.
    headers = {"Content-Type": content_type, **dict(headers), "ETag": etag, "Vary": "Host"}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    header = conf.get("CACHE_TAG_HEADER")
    if header and tags:
        headers[header] = tag_header(tags)
    entry = {
        "body": body,
        "headers": headers,
        "etag": etag,
        "last_modified": last_modified,
        "tags": tags,
        "version": snapshot.version if snapshot else 0,
        "valid_until": valid_until,
    }
    if cache is not None and (storable is None or storable(built)):
        key, timeout = _key(request, find_site(request)), _timeout(valid_until)
        cache.set(key, entry, timeout=timeout)
        local = local_copies(cache)
        if local is not None:
            local.set(key, entry, timeout=timeout)
    response = _respond(request, entry)
    response.mmm_cache_hit = False
    return response


def _resolved_languages(request):
    """The languages an API request reads: those asked, else its site's (``ApiContext``)."""
    from ..api.context import ApiContext

    return request.GET.getlist("locale") or [ApiContext(request).default_language]


def cached_json(request, build, lists_feeds=False, extra_tags=()):
    """The response of ``build()`` (a JSON-ready payload), from the response cache when
    possible; ``lists_feeds`` for ``feeds/`` (a new feed of its languages changes it);
    ``extra_tags`` that the payload does not show (``sitemap/``: pages of any type)."""

    from ..api.context import content_language, linked_pages

    def build_body():
        payload = build()
        # The language of the content returned, stored with the entry (hits carry it too).
        return encode(payload), content_language(request), payload

    def tags_of(payload):
        languages = _resolved_languages(request)
        site = find_site(request)  # remembered on the request: no query
        # Pages linked from rich text: an HTML string does not show their ids to the walk.
        linked = {dependency_tags.page(pk) for pk in linked_pages(request)}
        if lists_feeds:
            return dependency_tags.of_feeds_list(payload, languages, site) | set(extra_tags) | linked
        found = dependency_tags.of_api_response(payload, languages, "tag" in request.GET, site)
        return found | set(extra_tags) | linked

    return cached(request, build_body, JSON, tags_of, storable=lambda payload: not _empty_page(payload))


__all__ = [
    "answering_hits_first",
    "cached",
    "cached_json",
    "encode",
    "lookup",
    "response_cache",
    "tag_header",
]
