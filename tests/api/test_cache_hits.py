"""The hit path: answered before django-ninja binds parameters, with every header a miss has,
never for a request ninja or the view would refuse; shared caches checked by tag tokens in
one round trip, per-process caches by the database's newest version."""

import time
import uuid

import pytest
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.urls import URLResolver, resolve
from ninja.operation import Operation

from mmm_wagtail.api import caching
from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available
from mmm_wagtail.cache import tokens, versions
from mmm_wagtail.cache.versions import bump
from mmm_wagtail.models import NewsFeed

from .conftest import make_news

API = "/api/mmm/"
MOUNTS = (API, "/api/v3/mmm/") if wagtail_v3_available() else (API,)
SAME_HEADERS = (
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Cache-Tag",
    "Vary",
    "Content-Language",
)


@pytest.fixture
def bound(monkeypatch):
    """Counts ninja's parameter binding (``Operation._get_values``)."""
    calls = []
    original = Operation._get_values

    def counting(self, *args, **kwargs):
        calls.append(self.path)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Operation, "_get_values", counting)
    return calls


@pytest.fixture
def shared(settings, tmp_path):
    """A cache other processes share (files here; Redis or Memcached on a site)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    caching.forget()
    yield caches["default"]
    caching.forget()


@pytest.mark.parametrize("mount", MOUNTS)
def test_a_hit_answers_before_ninja_binds_parameters_with_the_same_headers(tree, client, bound, mount):
    _, eu, _ = tree
    page = make_news(eu, title="Bound")
    for path in ("news/", f"news/{page.pk}/", "news/?locale=fr&limit=5"):
        miss = client.get(mount + path)
        assert not miss.mmm_cache_hit and bound
        bound.clear()
        hit = client.get(mount + path)
        assert hit.mmm_cache_hit and bound == [], path
        assert hit.content == miss.content
        assert {h: hit.get(h) for h in SAME_HEADERS} == {h: miss.get(h) for h in SAME_HEADERS}
        assert hit["Vary"] == "Host, Accept-Language" or "Host" in hit["Vary"]
        head = client.head(mount + path)
        assert head.mmm_cache_hit and head["ETag"] == miss["ETag"] and not head.content
        not_modified = client.get(mount + path, HTTP_IF_NONE_MATCH=miss["ETag"])
        assert not_modified.status_code == 304 and not_modified.mmm_cache_hit


def test_feeds_hit_before_the_view_parses_its_path(demo, client, django_assert_num_queries):
    feed = NewsFeed.objects.filter(locale__language_code="fr").first()
    path = API + f"feeds/{feed.slug}/rss/?locale=fr"
    miss = client.get(path)
    with django_assert_num_queries(1):  # the newest version, nothing else
        hit = client.get(path)
    assert hit.mmm_cache_hit and hit.content == miss.content
    assert {h: hit.get(h) for h in SAME_HEADERS} == {h: miss.get(h) for h in SAME_HEADERS}
    assert client.post(path).status_code == 405


@pytest.mark.parametrize("mount", MOUNTS)
def test_refused_requests_are_never_answered_from_the_cache(tree, client, mount):
    _, eu, _ = tree
    make_news(eu)
    assert client.get(mount + "news/").status_code == 200
    assert client.get(mount + "news/?locale=fr").status_code == 200
    # Other methods, a path without its slash, bad or unknown parameters: as without a cache.
    refused = {
        "post": client.post(mount + "news/").status_code,
        "delete": client.delete(mount + "news/").status_code,
        "no slash": client.get(mount + "news").status_code,
        "bad locale": client.get(mount + "news/?locale=xx").status_code,
        "unknown": client.get(mount + "news/?colour=red").status_code,
        "bad limit": client.get(mount + "news/?limit=0").status_code,
    }
    assert refused == {
        "post": 405,
        "delete": 405,
        "no slash": 404,
        "bad locale": 400,
        "unknown": 400,
        "bad limit": 400,
    }
    # The Accept-Language header changes nothing the API answers: same entry, same body.
    assert client.get(mount + "news/", HTTP_ACCEPT_LANGUAGE="en").mmm_cache_hit


def test_an_api_with_authentication_runs_it_before_any_hit(tree, client, monkeypatch):
    _, eu, _ = tree
    make_news(eu)
    assert client.get(API + "news/").status_code == 200
    assert client.get(API + "news/").mmm_cache_hit
    # The operation as mounted: a NinjaAPI mounting our router with ``auth=`` gives it these.
    path_view = resolve(API + "news/").func.__closure__[0].cell_contents
    (operation,) = [op for op in path_view.operations if op.methods == ["GET"]]
    monkeypatch.setattr(operation, "auth_callbacks", [lambda request: None])
    assert client.get(API + "news/").status_code == 401


class Recording:
    """A cache that records each call made to it (one call: one round trip to a server)."""

    def __init__(self, cache):
        self.cache = cache
        self.calls = []

    def __getattr__(self, name):
        method = getattr(self.cache, name)

        def recorded(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return recorded


def test_a_shared_cache_hit_is_one_round_trip_and_no_query(
    tree, client, shared, monkeypatch, django_assert_num_queries
):
    _, eu, _ = tree
    make_news(eu, title="Shared")
    recording = Recording(shared)
    monkeypatch.setattr(caching, "shared_cache", lambda: recording)
    client.get(API + "news/")
    caching.forget()  # another process: the entry's token keys are not known here yet
    assert client.get(API + "news/").mmm_cache_hit
    recording.calls.clear()
    with django_assert_num_queries(0):
        assert client.get(API + "news/").mmm_cache_hit
    assert recording.calls == ["get_many"]


def test_a_shared_cache_sees_a_change_once_committed(
    tree, client, shared, django_capture_on_commit_callbacks
):
    _, eu, _ = tree
    with django_capture_on_commit_callbacks(execute=True):  # committed before the test starts
        page = make_news(eu, title="Before")
        other = make_news(eu, title="Other")
    for path in ("news/", f"news/{page.pk}/", f"news/{other.pk}/"):
        client.get(API + path)
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "After"
        page.save_revision().publish()
    assert not client.get(API + "news/").mmm_cache_hit
    assert client.get(API + f"news/{page.pk}/").json()["title"] == "After"
    # A change drops only what depends on it.
    assert client.get(API + f"news/{other.pk}/").mmm_cache_hit


def test_a_lost_token_renewal_is_repaired_from_the_database(tree, client, shared, monkeypatch):
    _, eu, _ = tree
    page = make_news(eu, title="Lost")
    client.get(API + "news/")
    assert client.get(API + "news/").mmm_cache_hit
    # Committed, but the process died before renewing the tokens after the commit.
    bump([f"mmm-page-{page.pk}"])
    monkeypatch.setattr(caching, "RECHECK_SECONDS", 0)
    (before,) = tokens.current(shared, [f"mmm-page-{page.pk}"])
    assert not client.get(API + "news/").mmm_cache_hit
    # Repaired for every process: the token itself was renewed.
    assert tokens.current(shared, [f"mmm-page-{page.pk}"]) != [before]
    assert client.get(API + "news/").mmm_cache_hit


@pytest.mark.parametrize("backend", ["per-process", "shared"])
def test_an_entry_built_while_a_change_commits_is_never_a_hit(tree, client, request, monkeypatch, backend):
    _, eu, _ = tree
    page = make_news(eu, title="Racing")
    if backend == "shared":
        request.getfixturevalue("shared")
    snapshot = versions.snapshot

    def change_while_building():
        taken = snapshot()
        bump([f"mmm-page-{page.pk}"])  # another process commits now, after the snapshot
        return taken

    monkeypatch.setattr(versions, "snapshot", change_while_building)
    client.get(API + "news/")
    monkeypatch.setattr(versions, "snapshot", snapshot)
    assert not client.get(API + "news/").mmm_cache_hit
    assert client.get(API + "news/").mmm_cache_hit


def test_a_per_process_hit_checks_tags_once_per_newer_version(
    tree, client, monkeypatch, django_assert_num_queries
):
    _, eu, _ = tree
    page = make_news(eu, title="Memo")
    # Outside a transaction (tests run in one): what a web request sees.
    monkeypatch.setattr(versions, "in_transaction", lambda: False)
    client.get(API + "news/")
    bump(["mmm-feed-999"])  # a change this entry does not depend on
    with django_assert_num_queries(2):  # newest version moved: are my tags among the changed?
        assert client.get(API + "news/").mmm_cache_hit
    with django_assert_num_queries(1):
        assert client.get(API + "news/").mmm_cache_hit
    bump([f"mmm-page-{page.pk}"])
    assert not client.get(API + "news/").mmm_cache_hit


def test_tokens_are_created_once_and_renewed_to_new_values(shared):
    first = tokens.current(shared, ["a", "b"])
    assert tokens.current(shared, ["a", "b"]) == first
    tokens.renew(shared, ["a"])
    again = tokens.current(shared, ["a", "b"])
    assert again[0] != first[0] and again[1] == first[1]
    shared.delete(tokens.key("b"))  # evicted: a new value, never the old one back
    assert tokens.current(shared, ["b"]) != [first[1]]


def test_equivalent_requests_share_an_entry_and_others_do_not(tree, client):
    _, eu, _ = tree
    make_news(eu, title="Keyed")
    assert not client.get(API + "news/?locale=fr&limit=5").mmm_cache_hit
    # The same pairs in another order, or percent-encoded: the same request.
    assert client.get(API + "news/?limit=5&locale=fr").mmm_cache_hit
    assert client.get(API + "news/?locale=%66r&limit=5").mmm_cache_hit
    assert not client.get(API + "news/?locale=fr").mmm_cache_hit
    assert client.get(API + "news/?locale=%66r").mmm_cache_hit
    # Another value, another host, another path: other entries.
    assert not client.get(API + "news/?locale=fr&limit=6").mmm_cache_hit
    assert not client.get(API + "news/?locale=fr", HTTP_HOST="other.example").mmm_cache_hit
    assert not client.get(API + "news/?locale=fr", HTTP_HOST="other.example:8000").mmm_cache_hit
    assert client.get(API + "news/?locale=fr", HTTP_HOST="other.example").mmm_cache_hit
    if wagtail_v3_available():
        assert not client.get("/api/v3/mmm/news/?locale=fr").mmm_cache_hit


def test_keys_join_their_parts_unambiguously(rf):
    keys = {
        caching._key(rf.get(path, HTTP_HOST=host))
        for host, path in [
            ("a.example", "/api/mmm/news/"),
            ("a.example", "/api/mmm/news/?locale=fr"),
            ("a.example", "/api/mmm/news/?locale=fr&"),  # a blank pair parsed away: same request
            ("a.example", "/api/mmm/news/?locale=fr%26limit%3D5"),
            ("a.example", "/api/mmm/news/?locale=fr&limit=5"),
            ("a.example", "/api/mmm/news/?locale=&limit=5"),
            ("a.example", "/api/mmm/news/?locale"),
            ("a.example", "/api/mmm/news/%00x"),
            ("b.example", "/api/mmm/news/"),
        ]
    }
    assert len(keys) == 8


def _redis_cache(settings, redis_url, **options):
    """The default cache on ``REDIS_URL``, under a prefix of its own (xdist workers share it)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"mmm-test-{uuid.uuid4().hex}",
            **options,
        }
    }
    return caches["default"]


def test_the_redis_reader_reads_what_get_many_reads(settings, redis_url):
    """One MGET with the keys made as Django's backend makes them (prefix, version, KEY_FUNCTION)."""
    cache = _redis_cache(
        settings, redis_url, VERSION=3, KEY_FUNCTION="tests.api.test_cache_hits.reversed_key"
    )
    try:
        cache.set("entry", {"body": b"{}", "tokens": (1, 2)})
        cache.set("token", 12345)
        cache.set("other", "x", version=4)  # another version: not ours
        read_many = tokens.reader(cache)
        assert read_many != cache.get_many  # the raw client, not the backend's get_many
        keys = ["entry", "token", "other", "missing"]
        assert (
            read_many(keys)
            == cache.get_many(keys)
            == {"entry": {"body": b"{}", "tokens": (1, 2)}, "token": 12345}
        )
        cache.set("token", 678)
        assert read_many(["token"]) == {"token": 678}
    finally:
        cache.delete_many(["entry", "token", "missing"])
        cache.delete("other", version=4)


def test_the_redis_reader_survives_a_dropped_connection(settings, redis_url):
    import socket

    cache = _redis_cache(settings, redis_url)
    try:
        cache.set("token", 1)
        read_many = tokens.reader(cache)
        assert read_many(["token"]) == {"token": 1}
        held = read_many.mget.connection
        assert held is not None  # the reader keeps its connection between reads
        cache.set("token", 2)
        # The server goes away under the held connection (a restart, an idle timeout, a failover).
        held._sock.shutdown(socket.SHUT_RDWR)
        assert read_many(["token"]) == {"token": 2}  # through the client, which reconnects
        assert read_many.mget.connection is None
        assert read_many(["token", "missing"]) == {"token": 2}  # on a new connection
        assert read_many.mget.connection not in (None, held)
    finally:
        cache.delete("token")


def reversed_key(key, key_prefix, version):
    return f"{version}|{key}|{key_prefix}"


def test_other_caches_are_read_with_get_many(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
        "servers": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0,redis://127.0.0.1:2/0",
        },
    }
    for alias in ("default", "servers"):
        cache = caches[alias]
        assert tokens.reader(cache) == cache.get_many


def test_a_host_validated_once_is_checked_again_when_the_settings_change(rf, settings):
    settings.ALLOWED_HOSTS = ["a.example"]
    request = rf.get(API + "news/", HTTP_HOST="a.example")
    assert caching._host(request) == "a.example"
    assert caching._host(request) == "a.example"  # from the memo
    with pytest.raises(DisallowedHost):
        caching._host(rf.get(API + "news/", HTTP_HOST="b.example"))
    settings.ALLOWED_HOSTS = ["b.example"]
    with pytest.raises(DisallowedHost):
        caching._host(request)
    settings.ALLOWED_HOSTS = ["a.example"]
    settings.USE_X_FORWARDED_HOST = True
    forwarded = rf.get(API + "news/", HTTP_HOST="a.example", HTTP_X_FORWARDED_HOST="c.example")
    with pytest.raises(DisallowedHost):
        caching._host(forwarded)


def test_a_disallowed_host_is_refused_after_an_allowed_one_hit(tree, client, settings):
    settings.ALLOWED_HOSTS = ["a.example"]
    assert not client.get(API + "news/", HTTP_HOST="a.example").mmm_cache_hit
    assert client.get(API + "news/", HTTP_HOST="a.example").mmm_cache_hit
    assert client.get(API + "news/", HTTP_HOST="b.example").status_code == 400


def _plain(resolver):
    """The same patterns in a plain URLResolver, nested ones too."""
    return URLResolver(
        resolver.pattern,
        [
            _plain(pattern) if isinstance(pattern, URLResolver) else pattern
            for pattern in resolver.url_patterns
        ],
        resolver.default_kwargs,
        resolver.app_name,
        resolver.namespace,
    )


def _summary(match):
    return (match.func, match.args, match.kwargs, match.url_name, match.view_name, match.route)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "news/",
        "news/12/",
        "news/x/",
        "news",
        "delegations/",
        "delegations/4/",
        "delegations/4/rss/",
        "delegations/4/atom/x/",
        "feeds/",
        "feeds/some-slug/",
        "feeds/some-slug/json/",
        "feeds/some-slug/rss",
        "pages/find/",
        "pages/3/",
        "preview/",
        "docs",
        "openapi.json",
        "openapi.json/",
        "unknown/",
        "deeper/and/deeper/",
        "news/1/2/",
    ],
)
def test_the_mounts_resolve_like_the_full_lists_of_patterns(path):
    from mmm_wagtail import urls
    from mmm_wagtail.api.urls import FirstSegmentResolver

    (resolver,) = urls.urlpatterns
    assert isinstance(resolver, FirstSegmentResolver)
    plain = _summary(_plain(resolver).resolve(path))
    assert _summary(resolver.resolve(path)) == plain
    assert _summary(resolver.resolve(path)) == plain  # remembered
    api = resolver.url_patterns[-1]
    assert isinstance(api, FirstSegmentResolver)
    if plain[3] and not plain[3].startswith("mmm_wagtail_"):  # an API route, not a feed
        assert _summary(api.resolve(path)) == _summary(_plain(api).resolve(path))


def test_the_local_reader_reads_what_get_reads(settings, monkeypatch):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r"}
    }
    cache = caches["default"]
    cache.set("a", {"body": b"x"}, timeout=60)
    cache.set("b", 1, timeout=60)
    cache.set("gone", 2, timeout=60)
    assert caching._read_local(cache, "a") == cache.get("a") == {"body": b"x"}
    assert caching._read_local(cache, "missing") is None
    # Read moves the entry first in LocMemCache's order of eviction, as get() does.
    caching._read_local(cache, "b")
    assert next(iter(cache._cache)) == cache.make_key("b")
    later = time.time() + 120
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)
    assert caching._read_local(cache, "gone") is None
    assert cache.make_key("gone") not in cache._cache  # deleted once expired, as get() does
