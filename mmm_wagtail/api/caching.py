"""HTTP caching of API and syndication responses: the shared response cache, ETag,
Last-Modified, 304s, Cache-Control and the cache-tag header.

A cached entry holds the finished body with the tags it depends on (``cache.tags``), the
content version read before it was built and the moment of the next scheduled change
(``cache.versions``). A hit is one cache read and one indexed database query ("has any
of these tags changed since?"), so a change made by any process is seen by the next
request of every process, even with Django's per-process in-memory cache; a change drops
only the entries that depend on it. Conditional requests and Cache-Control go through
Django's own ``get_conditional_response`` and ``patch_cache_control``, for the API and
the feeds alike.
"""

import hashlib
import json

from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from .. import conf
from ..cache import tags as cache_tags
from ..cache import versions

RESPONSE_KEY = "mmm_wagtail:response:%s"
# Bumped when the layout of a cached entry changes, so no process reads an old one.
ENTRY_FORMAT = 3


def shared_cache():
    alias = conf.get("CACHE_ALIAS")
    return caches[alias] if alias else None


def encode(payload):
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def _newest_publication(payload):
    # Without a shared cache, a response is as new as the newest page it lists.
    items = payload.get("items") if isinstance(payload, dict) else None
    metas = [item.get("meta", {}) for item in items] if isinstance(items, list) else [payload.get("meta", {})]
    dates = [meta.get("last_published_at") for meta in metas if isinstance(meta, dict)]
    dates = [date for date in dates if date is not None]
    return int(max(dates).timestamp()) if dates else None


def _key(request):
    query = sorted((key, value) for key, values in request.GET.lists() for value in values)
    # The tag header's name is part of the stored headers.
    raw = json.dumps([ENTRY_FORMAT, conf.get("CACHE_TAG_HEADER"), request.get_host(), request.path, query])
    return RESPONSE_KEY % hashlib.sha256(raw.encode()).hexdigest()


def _languages(request, payload_languages=()):
    """The languages whose listings a request may show: asked, seen, and their fallbacks."""
    from ..locales import default_language_code, fallback_codes

    asked = request.GET.getlist("locale") or [default_language_code()]
    return {code for language in (*asked, *payload_languages) for code in fallback_codes(language)}


def tag_header(tags):
    """The value of the cache-tag header: comma-separated for Cache-Tag, else space-separated."""
    name = conf.get("CACHE_TAG_HEADER")
    return (", " if name.lower() == "cache-tag" else " ").join(sorted(tags))


def _respond(request, entry, content_type):
    response = HttpResponse(entry["body"], content_type=content_type)
    headers = response.headers
    for name, value in entry["headers"]:
        headers[name] = value
    s_maxage = conf.get("CACHE_S_MAXAGE")
    max_age = conf.get("CACHE_MAX_AGE")
    valid_until = entry["valid_until"]
    if valid_until is not None:
        # A CDN or browser must not keep a response past its next scheduled change either.
        left = max(0, int(valid_until - timezone.now().timestamp()))
        s_maxage, max_age = min(s_maxage, left), min(max_age, left)
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=s_maxage,
        stale_while_revalidate=conf.get("CACHE_STALE_WHILE_REVALIDATE"),
    )
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
    )


def _fresh(entry):
    valid_until = entry["valid_until"]
    if valid_until is not None and valid_until <= timezone.now().timestamp():
        return False
    return not versions.changed_since(entry["tags"], entry["version"])


def cached(request, build, content_type, tags_of):
    """A response from the shared cache when still fresh, else built, cached and sent.

    ``build()`` returns ``(body bytes, extra headers)`` plus whatever ``tags_of`` needs:
    ``tags_of(built)`` returns the set of tags the response depends on.
    """
    cache = shared_cache()
    key = _key(request) if cache is not None else None
    entry = cache.get(key) if key else None
    hit = entry is not None and _fresh(entry)
    if not hit:
        # Read before building: a change committed while we build has a newer version,
        # so the entry is seen as stale on its next hit rather than fresh forever.
        snapshot = versions.snapshot() if key else None
        body, headers, built = build()
        tags = sorted(tags_of(built))
        if snapshot is not None:
            last_modified = snapshot.last_modified and int(snapshot.last_modified.timestamp())
            valid_until = snapshot.valid_until and snapshot.valid_until.timestamp()
        else:
            last_modified = _newest_publication(built) if content_type == JSON else None
            valid_until = None
        etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
        # Headers are computed once per entry, not per hit.
        headers = [*headers, ("ETag", etag)]
        if last_modified is not None:
            headers.append(("Last-Modified", http_date(last_modified)))
        header = conf.get("CACHE_TAG_HEADER")
        if header and tags:
            headers.append((header, tag_header(tags)))
        entry = {
            "body": body,
            "headers": tuple(headers),
            "etag": etag,
            "last_modified": last_modified,
            "tags": tags,
            "version": snapshot.version if snapshot else 0,
            "valid_until": valid_until,
        }
        if key:
            timeout = conf.get("CACHE_TIMEOUT")
            if valid_until is not None:
                timeout = max(1, min(timeout, int(valid_until - timezone.now().timestamp()) + 1))
            cache.set(key, entry, timeout=timeout)
    response = _respond(request, entry, content_type)
    # For measurements (the multi-process freshness test reads it through a middleware).
    response.mmm_cache_hit = hit
    return response


JSON = "application/json"


def cached_json(request, build):
    """The response of ``build()`` (a JSON-ready payload), from the shared cache when possible."""

    def build_body():
        payload = build()
        return encode(payload), (), payload

    def tags_of(payload):
        # A listing depends on its language even while empty (the next publish fills it).
        found = cache_tags.of_payload(payload, _languages(request), filters_tags="tag" in request.GET)
        seen = {tag.removeprefix("mmm-list-") for tag in found if tag.startswith("mmm-list-")}
        if seen:
            found |= {cache_tags.listing(code) for code in _languages(request, seen)}
        if request.path.endswith("/feeds/"):
            languages = _languages(request)
            found |= {*map(cache_tags.feeds, languages), *map(cache_tags.listing, languages)}
        return found

    return cached(request, build_body, JSON, tags_of)
