"""The hit path: every header a miss has, never for a request ninja or the view would refuse;
one rule for every cache backend: one cache read and one indexed query ("has any tag of this
entry changed since its version?")."""

import types
import uuid

import pytest
from django import urls
from django.core.cache import caches
from ninja import NinjaAPI

from mmm_wagtail.api.router import make_router
from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available
from mmm_wagtail.cache import responses, versions
from mmm_wagtail.cache.versions import bump
from mmm_wagtail.models import NewsFeed

from ..redis_helpers import forget
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
def shared(settings, tmp_path):
    """A cache other processes share (files here; Redis or Memcached on a site)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    return caches["default"]


@pytest.mark.parametrize("mount", MOUNTS)
def test_a_hit_has_the_headers_of_a_miss(tree, client, mount):
    _, eu, _ = tree
    page = make_news(eu, title="Bound")
    for path in ("news/", f"news/{page.pk}/", "news/?locale=fr&limit=5"):
        miss = client.get(mount + path)
        assert not miss.mmm_cache_hit
        hit = client.get(mount + path)
        assert hit.mmm_cache_hit, path
        assert hit.content == miss.content
        assert {h: hit.get(h) for h in SAME_HEADERS} == {h: miss.get(h) for h in SAME_HEADERS}
        assert hit["Vary"] == "Host, Accept-Language" or "Host" in hit["Vary"]
        head = client.head(mount + path)
        assert head.mmm_cache_hit and head["ETag"] == miss["ETag"] and not head.content
        not_modified = client.get(mount + path, HTTP_IF_NONE_MATCH=miss["ETag"])
        assert not_modified.status_code == 304 and not_modified.mmm_cache_hit


def test_a_feed_hit_is_one_query_with_the_headers_of_a_miss(demo, client, django_assert_num_queries):
    feed = NewsFeed.objects.filter(locale__language_code="fr").first()
    path = API + f"feeds/{feed.slug}/rss/?locale=fr"
    miss = client.get(path)
    with django_assert_num_queries(1):  # has any tag of the entry changed since?
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


def _mounted_with_auth(accept, namespace):
    """A URLconf serving our router at ``API`` through a NinjaAPI with ``auth=``."""
    api = NinjaAPI(urls_namespace=namespace, auth=lambda request: accept or None)
    api.add_router("", make_router())
    urlconf = types.ModuleType(f"tests_{namespace}_urls")
    urlconf.urlpatterns = [urls.path(API.strip("/") + "/", api.urls)]
    return urlconf


def test_an_api_with_authentication_runs_it_before_any_hit(tree, client, settings):
    _, eu, _ = tree
    make_news(eu)
    assert client.get(API + "news/").status_code == 200
    assert client.get(API + "news/").mmm_cache_hit
    # A site mounting our router in a NinjaAPI with ``auth=``: hits are answered in the view's
    # body, so ninja's own checks come first. The same entry (one host, one path) is a hit
    # when the check lets the request in, and never answers one it refuses.
    settings.ROOT_URLCONF = _mounted_with_auth(True, "mmm_auth_accepts")
    assert client.get(API + "news/").mmm_cache_hit
    settings.ROOT_URLCONF = _mounted_with_auth(False, "mmm_auth_refuses")
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


def test_a_shared_cache_hit_is_one_read_and_one_query(
    tree, client, shared, monkeypatch, django_assert_num_queries
):
    _, eu, _ = tree
    make_news(eu, title="Shared")
    recording = Recording(shared)
    monkeypatch.setattr(responses, "response_cache", lambda: recording)
    client.get(API + "news/")
    recording.calls.clear()
    responses.forget_local_copies()  # a hit in another process, with no copy of the entry
    with django_assert_num_queries(1):
        assert client.get(API + "news/").mmm_cache_hit
    assert recording.calls == ["get"]


def test_a_process_serves_its_copy_of_a_shared_entry_by_the_same_rule(
    tree, client, shared, monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _, eu, _ = tree
    with django_capture_on_commit_callbacks(execute=True):
        page = make_news(eu, title="Before")
    recording = Recording(shared)
    monkeypatch.setattr(responses, "response_cache", lambda: recording)
    client.get(API + "news/")  # a miss: stored in the shared cache, and a copy kept here
    recording.calls.clear()
    with django_assert_num_queries(1):
        assert client.get(API + "news/").mmm_cache_hit
    assert recording.calls == []  # no round trip to the shared cache
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "After"
        page.save_revision().publish()
    changed = client.get(API + "news/")  # the copy and the shared entry are stale alike
    assert not changed.mmm_cache_hit and "After" in changed.content.decode()


def test_a_stale_copy_gives_way_to_the_entry_another_process_built(
    tree, client, shared, monkeypatch, django_assert_num_queries
):
    from django.core.cache.backends.locmem import LocMemCache

    _, eu, _ = tree
    page = make_news(eu, title="Before")
    recording = Recording(shared)
    monkeypatch.setattr(responses, "response_cache", lambda: recording)
    # Two processes: their copies, one shared cache.
    first, second = (LocMemCache(f"mmm-test-{uuid.uuid4().hex}", {}) for _ in range(2))
    monkeypatch.setattr(responses, "_local_cache", lambda entries: first)
    client.get(API + "news/")  # built by the first process
    NewsPage = type(page)
    NewsPage.objects.filter(pk=page.pk).update(title="After")
    bump([f"mmm-page-{page.pk}"])  # a change, committed by some process
    monkeypatch.setattr(responses, "_local_cache", lambda entries: second)
    built = client.get(API + "news/")  # the second process builds the new entry
    assert not built.mmm_cache_hit and "After" in built.content.decode()
    monkeypatch.setattr(responses, "_local_cache", lambda entries: first)
    recording.calls.clear()
    with django_assert_num_queries(2):  # its copy is stale; the shared entry is fresh
        hit = client.get(API + "news/")
    assert hit.mmm_cache_hit and hit.content == built.content
    assert recording.calls == ["get"]
    recording.calls.clear()
    assert client.get(API + "news/").content == built.content
    assert recording.calls == []  # copied for the next hit


def test_no_copies_with_a_bound_of_zero_or_a_cache_that_keeps_nothing(tree, client, shared, settings):
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    assert responses.local_copies(shared) is not None
    assert responses.local_copies(LocMemCache("mmm-test", {})) is None  # already in the process
    assert responses.local_copies(DummyCache("mmm-test", {})) is None
    settings.MMM_WAGTAIL = {"CACHE_LOCAL_ENTRIES": 0}
    assert responses.local_copies(shared) is None
    make_news(tree[1], title="Shared only")
    recording = Recording(shared)
    client.get(API + "news/")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(responses, "response_cache", lambda: recording)
        assert client.get(API + "news/").mmm_cache_hit
    assert recording.calls == ["get"]


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


def test_a_hit_checks_its_own_tags_only(tree, client, django_assert_num_queries):
    _, eu, _ = tree
    page = make_news(eu, title="Own tags")
    client.get(API + "news/")
    bump(["mmm-feed-999"])  # a change this entry does not depend on
    with django_assert_num_queries(1):
        assert client.get(API + "news/").mmm_cache_hit
    bump([f"mmm-page-{page.pk}"])
    assert not client.get(API + "news/").mmm_cache_hit


def test_an_entry_of_a_rolled_back_bump_is_stale(tree, client):
    from django.db import transaction

    _, eu, _ = tree
    make_news(eu, title="Rolled back")

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        bump(["mmm-feed-999"])  # the counter moves inside the transaction only
        assert not client.get(API + "news/").mmm_cache_hit  # cached with that version
        raise Rollback
    # The counter is back below the entry's version: the entry was built from a state
    # that never committed.
    assert not client.get(API + "news/").mmm_cache_hit
    assert client.get(API + "news/").mmm_cache_hit


def test_the_first_change_of_a_database_rolled_back_leaves_no_entry_fresh(db):
    """``migrate`` leaves the counter's row at version 0 (``versions.ensure_counter``): a
    response or a host's Site answer made inside the first change's transaction, at version 1,
    is seen stale once that transaction rolls back. Without the row nothing is "older"."""
    from django.db import transaction

    from mmm_wagtail.models import ContentTag

    # A database no change has reached yet, as ``migrate`` leaves it.
    ContentTag.objects.exclude(tag=versions.COUNTER).delete()
    ContentTag.objects.filter(tag=versions.COUNTER).update(version=0)
    assert ContentTag.objects.get(tag=versions.COUNTER).version == 0

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        bump(["mmm-feed-999"])
        made_at = versions.snapshot().version
        assert made_at == 1 and not versions.changed_since(["mmm-list-fr"], made_at, structure_since=made_at)
        raise Rollback
    assert versions.changed_since(["mmm-list-fr"], made_at)
    assert versions.changed_since((), made_at, structure_since=made_at)  # the host memo's check


def test_equivalent_requests_share_an_entry_and_others_do_not(tree, client):
    _, eu, _ = tree
    make_news(eu, title="Keyed")
    assert not client.get(API + "news/?locale=fr&limit=5").mmm_cache_hit
    # The same pairs in another order, or percent-encoded: the same request.
    assert client.get(API + "news/?limit=5&locale=fr").mmm_cache_hit
    assert client.get(API + "news/?locale=%66r&limit=5").mmm_cache_hit
    assert not client.get(API + "news/?locale=fr").mmm_cache_hit
    assert client.get(API + "news/?locale=%66r").mmm_cache_hit
    # Another value, another path: other entries.
    assert not client.get(API + "news/?locale=fr&limit=6").mmm_cache_hit
    # Another Host, another port, that the same Site answers: the same entry (test_cache_bound.py).
    assert client.get(API + "news/?locale=fr", HTTP_HOST="other.example").mmm_cache_hit
    assert client.get(
        API + "news/?locale=fr", HTTP_HOST="other.example:8000", SERVER_PORT="8000"
    ).mmm_cache_hit
    if wagtail_v3_available():
        assert not client.get("/api/v3/mmm/news/?locale=fr").mmm_cache_hit


def test_keys_join_their_parts_unambiguously(db, rf):
    from mmm_wagtail.cache import hosts

    def key(request):
        return responses._key(request, hosts.remembered(request)[0])

    keys = {
        key(rf.get(path, HTTP_HOST=host))
        for host, path in [
            ("a.example", "/api/mmm/news/"),
            ("a.example", "/api/mmm/news/?locale=fr"),
            ("a.example", "/api/mmm/news/?locale=fr&"),  # a blank pair parsed away: same request
            ("a.example", "/api/mmm/news/?locale=fr%26limit%3D5"),
            ("a.example", "/api/mmm/news/?locale=fr&limit=5"),
            ("a.example", "/api/mmm/news/?locale=&limit=5"),
            ("a.example", "/api/mmm/news/?locale"),
            ("a.example", "/api/mmm/news/%00x"),
            ("a.example", "/api/mmm/news/?locale=fr&locale=fr"),  # a repeat: same request
            ("b.example", "/api/mmm/news/"),  # the same Site answers: same request
        ]
    }
    assert len(keys) == 7


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


def test_redis_hits_follow_the_same_rule(tree, client, settings, redis_url, django_assert_num_queries):
    _, eu, _ = tree
    page = make_news(eu, title="Redis")
    cache = _redis_cache(settings, redis_url)
    try:
        assert not client.get(API + "news/").mmm_cache_hit
        with django_assert_num_queries(1):
            assert client.get(API + "news/").mmm_cache_hit
        bump([f"mmm-page-{page.pk}"])  # another process's change, committed
        assert not client.get(API + "news/").mmm_cache_hit
        assert client.get(API + "news/").mmm_cache_hit
    finally:
        forget(cache)


def test_a_disallowed_host_is_refused_after_an_allowed_one_hit(tree, client, settings):
    make_news(tree[1], title="Kept")  # an empty listing is not stored (test_cache_bound.py)
    settings.ALLOWED_HOSTS = ["a.example"]
    assert not client.get(API + "news/", HTTP_HOST="a.example").mmm_cache_hit
    assert client.get(API + "news/", HTTP_HOST="a.example").mmm_cache_hit
    assert client.get(API + "news/", HTTP_HOST="b.example").status_code == 400


def test_a_hit_on_our_own_mount_is_answered_before_ninja(demo, client, monkeypatch):
    from ninja.operation import Operation

    runs = []
    original = Operation.run
    monkeypatch.setattr(
        Operation, "run", lambda self, request, **kw: runs.append(1) or original(self, request, **kw)
    )
    assert not client.get(API + "news/?locale=fr").mmm_cache_hit
    assert len(runs) == 1  # the miss: ninja binds and runs the view
    response = client.get(API + "news/?locale=fr")
    assert response.mmm_cache_hit and len(runs) == 1
    # A refused request never has an entry: ninja and the view answer it, with its 400.
    assert client.get(API + "news/?limit=0").status_code == 400
    assert len(runs) == 2


def test_an_api_with_auth_or_throttling_runs_ninja_first():
    from ninja import NinjaAPI
    from ninja.throttling import AnonRateThrottle

    from mmm_wagtail.api import urls

    assert urls._ninja_checks_nothing(urls.api)
    assert not urls._ninja_checks_nothing(NinjaAPI(auth=lambda request: True, urls_namespace="a1"))
    assert not urls._ninja_checks_nothing(NinjaAPI(throttle=AnonRateThrottle("5/s"), urls_namespace="a2"))
