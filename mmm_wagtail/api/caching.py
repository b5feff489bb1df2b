"""HTTP caching of API responses: ETag, Last-Modified, 304s, Cache-Control and a shared
response cache.

The shared cache (``CACHE_ALIAS``) holds finished responses under a key that includes
the *content version*: a token that ``mmm_wagtail.signals`` replaces whenever content an
API response may show changes (publish, unpublish, move, delete, snippet and tag
translation saves). Replacing the token invalidates every cached response at once,
in every process sharing the cache, without knowing which responses a change affects.
The token also carries the time of the change, which is the responses' Last-Modified.
"""

import hashlib
import json
import uuid

from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from .. import conf

VERSION_KEY = "mmm_wagtail:api:content-version"
RESPONSE_KEY = "mmm_wagtail:api:response:%s"


def shared_cache():
    alias = conf.get("CACHE_ALIAS")
    return caches[alias] if alias else None


def _new_version():
    return {"token": uuid.uuid4().hex, "at": int(timezone.now().timestamp())}


def content_version():
    """The current content version ({"token", "at"}), or None without a shared cache."""
    cache = shared_cache()
    if cache is None:
        return None
    version = cache.get(VERSION_KEY)
    if version is None:
        # First request after a cache flush: a new token, stamped now, so a client's
        # If-Modified-Since from before the flush cannot earn a stale 304.
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY) or _new_version()
    return version


def bump_content_version():
    cache = shared_cache()
    if cache is not None:
        cache.set(VERSION_KEY, _new_version(), timeout=None)


def cache_control():
    return (
        f"public, max-age={conf.get('CACHE_MAX_AGE')}, s-maxage={conf.get('CACHE_S_MAXAGE')}, "
        f"stale-while-revalidate={conf.get('CACHE_STALE_WHILE_REVALIDATE')}"
    )


def encode(payload):
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def _newest_publication(payload):
    # Without a content version, a response is as new as the newest page it lists.
    items = payload.get("items") if isinstance(payload, dict) else None
    metas = [item.get("meta", {}) for item in items] if isinstance(items, list) else [payload.get("meta", {})]
    dates = [meta.get("last_published_at") for meta in metas if isinstance(meta, dict)]
    dates = [date for date in dates if date is not None]
    return int(max(dates).timestamp()) if dates else None


def _key(request, version):
    query = sorted((key, value) for key, values in request.GET.lists() for value in values)
    raw = json.dumps([version["token"], request.get_host(), request.path, query])
    return RESPONSE_KEY % hashlib.sha256(raw.encode()).hexdigest()


def _matches(request, etag, last_modified):
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # Weak comparison (RFC 9110 13.1.2): a CDN may have weakened our ETag.
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE") or "")
    return bool(if_modified_since and last_modified and last_modified <= if_modified_since)


def _finish(request, entry):
    body, etag, last_modified = entry
    if _matches(request, etag, last_modified):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = cache_control()
    return response


def cached_json(request, build):
    """The response of ``build()`` (a JSON-ready payload), from the shared cache when possible."""
    version = content_version()
    cache = shared_cache()
    key = _key(request, version) if version else None
    entry = cache.get(key) if key else None
    if entry is None:
        payload = build()
        body = encode(payload)
        etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
        last_modified = version["at"] if version else _newest_publication(payload)
        entry = (body, etag, last_modified)
        if key:
            cache.set(key, entry, timeout=conf.get("CACHE_TIMEOUT"))
    return _finish(request, entry)


def frontend_cache_installed():
    from django.apps import apps

    return apps.is_installed("wagtail.contrib.frontend_cache")


def purge_frontend_cache(pages=()):
    """Ask Wagtail's frontend cache (a CDN) to drop our listings and the pages' details."""
    if not frontend_cache_installed():
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
    from wagtail.models import Site

    try:
        base = reverse("mmm_wagtail_api:mmm_api_root")
    except NoReverseMatch:
        return
    paths = [base, base + "delegations/", base + "news/", base + "feeds/"]
    for page in pages:
        name = type(page.specific_deferred if hasattr(page, "specific_deferred") else page).__name__
        route = {"NewsPage": "news/%d/", "DelegationPage": "delegations/%d/"}.get(name, "pages/%d/")
        paths.append(base + route % page.pk)
    roots = {rp.root_url for rp in Site.get_site_root_paths()}
    purge_urls_from_cache([root + path for root in roots for path in paths])
