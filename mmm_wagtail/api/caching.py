"""HTTP caching of API and syndication responses: the shared response cache, ETag,
Last-Modified, 304s, Cache-Control and the cache-tag header.

A cached entry holds the finished body with the tags it depends on (``cache.tags``), the
content version read before it was built and the moment of the next scheduled change
(``cache.versions``). Whether it is still fresh:

- with a per-process cache (Django's default ``LocMemCache``), one primary-key query: the
  database's newest version, compared with the entry's (and, when it moved, "has any of
  these tags changed since?" once per entry and newer version);
- with a shared cache (Redis, Memcached…), no query: the tags' tokens (``cache.tokens``)
  are read with the entry in one ``get_many`` (the keys of its tokens are remembered per
  process), and compared with those the entry recorded.

A hit is answered before django-ninja binds the operation's parameters (``answer_hits_first``
wraps each GET/HEAD operation's ``run``, on every mount) and before a feed view parses its
path (``hits_first``): an entry only exists for a request its view answered with a 200, so
nothing ninja or the view would refuse is ever answered from it. Conditional requests and
Cache-Control go through Django's own ``get_conditional_response`` and
``patch_cache_control``, for the API and the feeds alike. docs/caching.md has the design
and the argument why it never serves a change late.
"""

import functools
import hashlib
import json
import logging
import pickle
import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.http.response import ResponseHeaders
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from .. import conf
from ..cache import tags as cache_tags
from ..cache import tokens, versions
from ..cache.handlers import PerThread
from .context import content_language

logger = logging.getLogger("mmm_wagtail.cache")

RESPONSE_KEY = "mmm_wagtail:response:%s"
# Bumped when the layout of a cached entry changes, so no process reads an old one.
ENTRY_FORMAT = 6
HIT_METHODS = ("GET", "HEAD")
# A hit from a shared cache is also checked against the database at most this often per
# entry and process: a token renewal lost after a commit (cache unreachable, process killed)
# is then repaired within this many seconds.
RECHECK_SECONDS = 10
# Per process: for a shared cache, the token keys of each entry (read with it in one round
# trip) and when it was last checked against the database; for a per-process cache, the
# newest version each entry was found fresh at.
_memo = {}
MEMO_SIZE = 10_000


# The thread's cache object per alias (``caches[alias]`` costs a Local lookup per call).
_caches = PerThread(caches, "CACHES")


def shared_cache():
    alias = conf.get("CACHE_ALIAS")
    if not alias:
        return None
    return _caches[alias]


def per_process(cache):
    """Whether ``cache`` lives in this process only: other processes cannot renew its tokens."""
    return isinstance(cache, LocMemCache)


def _remember(key, value):
    if len(_memo) >= MEMO_SIZE:
        _memo.pop(next(iter(_memo)), None)
    _memo[key] = value


def forget():
    """Empty this process's memo (tests that roll the database back call it)."""
    _memo.clear()


def encode(payload):
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def _newest_publication(payload):
    # Without a shared cache, a response is as new as the newest page it lists.
    items = payload.get("items") if isinstance(payload, dict) else None
    metas = [item.get("meta", {}) for item in items] if isinstance(items, list) else [payload.get("meta", {})]
    dates = [meta.get("last_published_at") for meta in metas if isinstance(meta, dict)]
    dates = [date for date in dates if date is not None]
    return int(max(dates).timestamp()) if dates else None


# A query string that is one pair of unreserved characters is already in the form
# ``urlencode`` gives it: the key uses it as is, without parsing the query.
_CANONICAL_QUERY = re.compile(r"[A-Za-z0-9_.~-]+=[A-Za-z0-9_.~-]*")


# Per process: the Host headers ``get_host`` accepted as they were sent, emptied when a
# setting it reads changes (tests change them); a header is validated once, not on every hit.
_hosts = {}
HOSTS_SIZE = 1_000
HOST_SETTINGS = ("ALLOWED_HOSTS", "DEBUG", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT")


@receiver(setting_changed)
def _forget_hosts(setting, **kwargs):
    if setting in HOST_SETTINGS:
        _hosts.clear()


def _host(request):
    """``request.get_host()``, validated once per Host header (and the settings it reads)."""
    raw = request.META.get("HTTP_HOST")
    if raw is not None and raw in _hosts:
        return raw
    host = request.get_host()  # raises DisallowedHost for a Host the settings refuse
    # Only a Host header taken as sent (no X-Forwarded-Host in play) is remembered.
    if host == raw and not settings.USE_X_FORWARDED_HOST:
        if len(_hosts) >= HOSTS_SIZE:
            _hosts.clear()
        _hosts[raw] = True
    return host


def _key(request):
    """The entry's key: the same for equivalent requests (the query's pairs in any order,
    encoded or not), different for any two a view could answer differently.

    The host (validated by ``get_host``, so without NUL), the path and the query string
    (URL-encoded, so without NUL) are joined with NUL: no two requests make the same text.
    """
    query = request.META.get("QUERY_STRING", "")
    if query and not _CANONICAL_QUERY.fullmatch(query):
        query = urlencode(sorted((key, value) for key, values in request.GET.lists() for value in values))
    # The tag header's name is part of the stored headers.
    raw = f"{ENTRY_FORMAT}\0{conf.get('CACHE_TAG_HEADER')}\0{_host(request)}\0{request.path}\0{query}"
    return RESPONSE_KEY % hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _languages(request, payload_languages=()):
    """The languages whose listings a request may show: asked, seen, and their fallbacks."""
    from ..locales import default_language_code, fallback_codes

    asked = request.GET.getlist("locale") or [default_language_code()]
    return {code for language in (*asked, *payload_languages) for code in fallback_codes(language)}


def tag_header(tags):
    """The value of the cache-tag header: comma-separated for Cache-Tag, else space-separated."""
    name = conf.get("CACHE_TAG_HEADER")
    return (", " if name.lower() == "cache-tag" else " ").join(sorted(tags))


@functools.lru_cache(maxsize=64)
def _cache_control(max_age, s_maxage, stale_while_revalidate):
    response = HttpResponse()
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=s_maxage,
        stale_while_revalidate=stale_while_revalidate,
    )
    return response["Cache-Control"]


def _respond(request, entry):
    # The headers were made once, when the entry was stored; Cache-Control depends on the
    # settings and, with a scheduled change ahead, on the time left.
    response = HttpResponse(entry["body"])
    store = getattr(response.headers, "_store", None)
    if type(store) is dict:
        # Django's ResponseHeaders keeps {lowercase name: (name, value)}: the entry's headers
        # were checked (names, values, line breaks) and converted by ResponseHeaders when the
        # entry was made, so a hit copies them in that form instead of checking them again.
        store.update(entry["header_store"])
    else:
        for name, value in entry["header_store"].values():
            response.headers[name] = value
    s_maxage = conf.get("CACHE_S_MAXAGE")
    max_age = conf.get("CACHE_MAX_AGE")
    valid_until = entry["valid_until"]
    if valid_until is not None:
        # A CDN or browser must not keep a response past its next scheduled change either.
        left = max(0, int(valid_until - time.time()))
        s_maxage, max_age = min(s_maxage, left), min(max_age, left)
    stale = conf.get("CACHE_STALE_WHILE_REVALIDATE")
    if type(store) is dict:
        # Made by patch_cache_control from integers: nothing for ResponseHeaders to check.
        store["cache-control"] = ("Cache-Control", _cache_control(max_age, s_maxage, stale))
    else:
        response.headers["Cache-Control"] = _cache_control(max_age, s_maxage, stale)
    meta = request.META
    if (
        "HTTP_IF_NONE_MATCH" in meta
        or "HTTP_IF_MODIFIED_SINCE" in meta
        or "HTTP_IF_MATCH" in meta
        or "HTTP_IF_UNMODIFIED_SINCE" in meta
    ):  # spelled out: no generator on every hit
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
        )
    return response


def _read_local(cache, key):
    """``cache.get(key)`` for Django's LocMemCache, less the check of the key for memcached
    (a regex search through a lazy object, a fifth of a hit's cache read): our keys are a
    fixed prefix and a hex digest, always valid. The rest is LocMemCache.get's own steps;
    any other class, or a LocMemCache without them (another Django), goes through ``get``."""
    if type(cache) is not LocMemCache:
        return cache.get(key)
    try:
        made = cache.make_key(key)
        with cache._lock:
            if cache._has_expired(made):
                cache._delete(made)
                return None
            pickled = cache._cache[made]
            cache._cache.move_to_end(made, last=False)
    except AttributeError:  # nothing changed yet: every step above reads before it writes
        return cache.get(key)
    return pickle.loads(pickled)


def _expired(entry):
    valid_until = entry["valid_until"]
    return valid_until is not None and valid_until <= time.time()


def _fresh_here(key, entry):
    """An entry of a per-process cache: checked against the database's versions."""
    newest = versions.counter()
    version = entry["version"]
    if newest == version:
        return True
    if version > newest:
        return False  # built from a transaction that was rolled back, or before a restore
    stamp = (version, entry["etag"], newest)
    if _memo.get(key) == stamp:
        return True
    if versions.changed_since(entry["tags"], version):
        return False
    if not versions.in_transaction():
        _remember(key, stamp)
    return True


def _fresh_shared(cache, key):
    """The entry of a shared cache if fresh: its tokens unchanged. One read of many keys
    (``tokens.reader``: one ``MGET`` with Redis) once the entry's token keys are known in
    this process."""
    read_many = tokens.reader(cache)
    memo = _memo.get(key)
    if memo is not None:
        token_keys, checked_at = memo
        found = read_many([key, *token_keys])
        entry = found.get(key)
        if entry is None:
            return None
        if entry["token_keys"] != token_keys:
            found = read_many(entry["token_keys"])
            checked_at = None
    else:
        entry = cache.get(key)
        if entry is None:
            return None
        found = read_many(entry["token_keys"])
        checked_at = None
    if _expired(entry):
        return None
    for name, token in zip(entry["token_keys"], entry["tokens"], strict=True):
        if found.get(name) != token:
            return None
    now = time.monotonic()
    if checked_at is None or now - checked_at > RECHECK_SECONDS:
        changed = versions.changed_tags(entry["tags"], entry["version"])
        if changed:
            # Committed, yet its tokens were not renewed (or are being renewed now).
            tokens.renew(cache, changed)
            _memo.pop(key, None)
            return None
        checked_at = now
    if not memo or checked_at != memo[1]:
        _remember(key, (entry["token_keys"], checked_at))
    return entry


def lookup(request):
    """The response to ``request`` from the shared cache if a fresh one is there, else None."""
    if request.method not in HIT_METHODS:
        return None
    cache = shared_cache()
    if cache is None:
        return None
    key = _key(request)
    if per_process(cache):
        entry = _read_local(cache, key)
        if entry is None or _expired(entry) or not _fresh_here(key, entry):
            return None
    else:
        entry = _fresh_shared(cache, key)
        if entry is None:
            return None
    response = _respond(request, entry)
    # For measurements (the multi-process freshness test reads it through a middleware).
    response.mmm_cache_hit = True
    return response


def hits_first(view):
    """A view decorator: a fresh cached response answers before the view runs."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = lookup(request)
        if response is not None:
            return response
        request._mmm_cache_missed = True
        return view(request, *args, **kwargs)

    return wrapper


def _run_hits_first(run):
    operation = getattr(run, "__self__", None)

    @functools.wraps(run)
    def run_or_hit(request, **kwargs):
        # Authentication and throttling (a NinjaAPI that mounts us may have them) run first:
        # such an operation goes the whole way.
        if operation is not None and not operation.auth_callbacks and not operation.throttle_objects:
            response = lookup(request)
            if response is not None:
                return response
            request._mmm_cache_missed = True
        return run(request, **kwargs)

    return run_or_hit


def answer_hits_first(router):
    """Let a fresh cached response answer each GET/HEAD operation of ``router`` before
    django-ninja binds its parameters; kept by the copies ninja makes per mount."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            if set(operation.methods) <= set(HIT_METHODS):
                operation.run = _run_hits_first(operation.run)
                # ninja re-applies these to the copy of the operation made for each mount.
                operation._run_decorators = [*getattr(operation, "_run_decorators", []), _run_hits_first]
    return router


def cached(request, build, content_type, tags_of):
    """A response from the shared cache when still fresh, else built, cached and sent.

    ``build()`` returns ``(body bytes, extra headers)`` plus whatever ``tags_of`` needs:
    ``tags_of(built)`` returns the set of tags the response depends on.
    """
    cache = shared_cache()
    key = None
    if cache is not None:
        # Looked up already when the view was reached through ``answer_hits_first``.
        response = None if getattr(request, "_mmm_cache_missed", False) else lookup(request)
        if response is not None:
            return response
        key = _key(request)
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
    # Headers are computed once per entry, not per hit. Which site answers, and so every
    # link and listing, depends on the Host header: a shared cache must key on it.
    headers = [("Content-Type", content_type), *headers, ("ETag", etag), ("Vary", "Host")]
    if last_modified is not None:
        headers.append(("Last-Modified", http_date(last_modified)))
    header = conf.get("CACHE_TAG_HEADER")
    if header and tags:
        headers.append((header, tag_header(tags)))
    entry = {
        "body": body,
        "header_store": {
            name.lower(): (name, value) for name, value in ResponseHeaders(dict(headers)).items()
        },
        "etag": etag,
        "last_modified": last_modified,
        "tags": tags,
        "version": snapshot.version if snapshot else 0,
        "valid_until": valid_until,
    }
    if key:
        _store(cache, key, entry)
    response = _respond(request, entry)
    response.mmm_cache_hit = False
    return response


def _store(cache, key, entry):
    timeout = conf.get("CACHE_TIMEOUT")
    if entry["valid_until"] is not None:
        timeout = max(1, min(timeout, int(entry["valid_until"] - timezone.now().timestamp()) + 1))
    if per_process(cache):
        cache.set(key, entry, timeout=timeout)
        return
    tags = entry["tags"]
    # Tokens read after building, then the database asked whether any tag changed since
    # the version read before building: if none did, no change is missing from the body,
    # and any later one renews a token after its commit, i.e. after this read.
    found = tokens.current(cache, tags)
    if found is None or versions.changed_since(tags, entry["version"]):
        return  # a change committed while we built: answer it, keep nothing
    entry["token_keys"] = tuple(tokens.key(tag) for tag in tags)
    entry["tokens"] = tuple(found)
    cache.set(key, entry, timeout=timeout)
    _remember(key, (entry["token_keys"], time.monotonic()))


JSON = "application/json"


def cached_json(request, build):
    """The response of ``build()`` (a JSON-ready payload), from the shared cache when possible."""

    def build_body():
        payload = build()
        return encode(payload), content_language(request), payload

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
