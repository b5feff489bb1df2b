"""The shared response cache stays bounded: a flood of distinct requests an anonymous client
invents (offsets past the end, Host ports, searches matching nothing, unknown parameters,
unknown ids, repeated values) adds no entry beyond those the content itself can produce."""

import uuid

import pytest
from django.core.cache import caches
from django.urls import reverse
from wagtail.models import Site

from mmm_wagtail.cache import hosts
from mmm_wagtail.cache.responses import RESPONSE_KEY

from ..redis_helpers import forget
from .conftest import make_image, make_news

API = "/api/mmm/"
ENTRY = RESPONSE_KEY % ""
# Requests of each kind: distinct values that each would make an entry if any did, and more hosts
# than the per-process Site memo keeps (``hosts.MAX_HOSTS``, lowered for the flood), so that the
# hosts it no longer remembers are flooded too.
FLOOD = 20
MEMO_BOUND = 8


def _locmem_entries():
    # LocMemCache's own dict: what the backend really holds, not what we think we stored.
    return sum(ENTRY in key for key in caches["default"]._cache)


@pytest.fixture
def redis_cache(settings, redis_url):
    prefix = f"mmm-bound-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    cache = caches["default"]
    client = cache._cache.get_client(write=False)
    yield lambda: len(client.keys(f"{prefix}:*{ENTRY}*"))
    forget(cache)


@pytest.fixture
def locmem_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bound"}
    }
    caches["default"].clear()
    yield _locmem_entries
    caches["default"].clear()


def _flood(client, eu):
    """Distinct requests, the bounded ones first; returns the entries they may leave: one each."""
    bounded = [
        API + "news/",
        API + "news/?limit=1",
        API + "news/?limit=1&offset=1",
        API + f"delegations/{eu.pk}/",
    ]
    for path in bounded:
        assert client.get(path).status_code == 200
    for i in range(FLOOD):
        # Past the listing's count (2): an empty page per offset.
        past = client.get(API + f"news/?offset={1000 + i}")
        assert past.status_code == 200 and past.json()["items"] == [] and past.json()["count"] == 2
        # Another port on the Host (gunicorn takes SERVER_PORT from it, which Wagtail's site
        # matching reads), or another host name the default Site answers.
        port = 2000 + i
        assert (
            client.get(API + "news/", HTTP_HOST=f"testserver:{port}", SERVER_PORT=str(port)).status_code
            == 200
        )
        assert client.get(API + "news/", HTTP_HOST=f"h{i}.example").status_code == 200
        # A search that matches nothing.
        assert client.get(API + f"news/?search=nothing{i}").json()["items"] == []
        # 400s and 404s.
        assert client.get(API + f"news/?unknown{i}=1").status_code == 400
        assert client.get(API + f"news/?limit={10_000 + i}").status_code == 400
        assert client.get(API + f"delegations/{10_000_000 + i}/").status_code == 404
        assert client.get(API + f"news/?delegation=no-such-{i}").status_code == 404
    # A repeated value is one filter, and one entry.
    for repeats in range(1, 20):
        response = client.get(API + "news/?limit=1&" + "&".join(["delegation=eu"] * repeats))
        assert response.status_code == 200 and response.json()["next"].count("delegation=eu") == 1
    return len(bounded) + 1


@pytest.mark.parametrize("backend", ["locmem_cache", "redis_cache"])
def test_a_flood_of_invented_requests_adds_no_entry(tree, client, request, backend, monkeypatch):
    entries = request.getfixturevalue(backend)
    monkeypatch.setattr(hosts, "MAX_HOSTS", MEMO_BOUND)
    hosts.forget()
    _, eu, _ = tree
    make_news(eu, title="One")
    make_news(eu, title="Two")
    expected = _flood(client, eu)
    assert entries() == expected
    assert len(hosts._known) == MEMO_BOUND  # the flood went past the memo's bound
    # The shared entries still answer: a port of the Host is a hit of the Site's entry.
    assert client.get(API + "news/", HTTP_HOST="testserver:9999").mmm_cache_hit
    assert client.get(API + "news/?limit=1&delegation=eu&delegation=eu").mmm_cache_hit


def test_an_empty_page_is_built_each_time_and_still_right(tree, client, locmem_cache):
    _, eu, _ = tree
    make_news(eu, title="Only")
    first = client.get(API + "news/?offset=5")
    assert not first.mmm_cache_hit
    again = client.get(API + "news/?offset=5")
    assert not again.mmm_cache_hit and again["ETag"] == first["ETag"]
    assert client.get(API + "news/?offset=5", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A page with items is kept as before.
    client.get(API + "news/?offset=0")
    assert client.get(API + "news/?offset=0").mmm_cache_hit
    assert locmem_cache() == 1


def test_sites_on_one_host_name_with_two_ports_keep_their_own_entries(tree, client, home, locmem_cache):
    index, eu, _ = tree
    make_news(eu, title="Ported")
    default = Site.objects.get(is_default_site=True)
    default.hostname, default.port = "multi.example", 8001
    default.save()  # through save(): the Site memo (sites.py) follows
    Site.objects.create(hostname="multi.example", port=8002, root_page=index, site_name="Second")

    def get(port):
        return client.get(API + "news/", HTTP_HOST=f"multi.example:{port}", SERVER_PORT=str(port))

    on_first, on_second = get(8001), get(8002)
    assert not on_first.mmm_cache_hit and not on_second.mmm_cache_hit
    assert get(8002).mmm_cache_hit and get(8001).mmm_cache_hit
    assert locmem_cache() == 2
    # Each answers with its own Site's links.
    url = on_second.json()["items"][0]["meta"]["html_url"]
    assert url.startswith("http://multi.example:8002/")
    assert on_first.json()["items"][0]["meta"]["html_url"].startswith("http://multi.example:8001/")


def test_a_feed_shared_across_host_ports_links_to_its_site_only(tree, client, locmem_cache):
    _, eu, _ = tree
    make_news(eu, title="With image", image=make_image())
    url = reverse("mmm_wagtail_delegation_rss", kwargs={"pk": eu.pk})
    # The first build records the image's file size (Wagtail's get_file_size saves it): a change.
    client.get(url)
    first = client.get(url, HTTP_HOST="testserver:4567", SERVER_PORT="4567")
    assert first.status_code == 200
    assert b"testserver" not in first.content
    assert b'url="http://localhost/media/' in first.content  # the enclosure, from the Site
    assert client.get(url, HTTP_HOST="testserver:4568", SERVER_PORT="4568").mmm_cache_hit
    assert locmem_cache() == 1
