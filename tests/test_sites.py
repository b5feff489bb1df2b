"""``sites.find_site`` answers as Wagtail's ``Site.find_for_request`` does (it memoises
Wagtail's answer), without a query once cached under ``CACHE_ALIAS``, and forgets it when a
Site changes."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from mmm_wagtail.sites import SITES_KEY, VERSION, find_site, forget_sites


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    forget_sites()
    yield
    forget_sites()


def _request(host):
    return RequestFactory().get("/api/mmm/news/", HTTP_HOST=host)


HOSTS = ["localhost", "localhost:8000", "example.org", "example.org:8080", "other.net", "www.example.org:443"]

# Site layouts as (hostname, port, is_default_site) triples.
LAYOUTS = [
    [("localhost", 80, True)],
    [("example.org", 80, False)],
    [("example.org", 80, True), ("example.org", 8080, False)],
    [("localhost", 80, True), ("example.org", 80, False)],
    [("localhost", 80, True), ("example.org", 80, False), ("example.org", 8080, False)],
    [("example.org", 80, False), ("example.org", 8080, False)],
    [("example.org", 8080, False), ("other.net", 80, True), ("www.example.org", 443, False)],
]


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: "+".join(f"{h}:{p}" for h, p, _ in layout))
def test_matches_wagtail_for_every_host(home, layout):
    Site.objects.all().delete()
    for hostname, port, default in layout:
        Site.objects.create(hostname=hostname, port=port, is_default_site=default, root_page=home)
    for host in HOSTS:
        expected = Site._find_for_request(_request(host))
        found = find_site(_request(host))
        assert (found.pk if found else None) == (expected.pk if expected else None), host


def test_no_query_once_cached_and_root_language(home):
    find_site(_request("localhost"))
    with CaptureQueriesContext(connection) as queries:
        route = find_site(_request("localhost"))
    assert len(queries) == 0
    assert route.pk == Site.objects.get(is_default_site=True).pk
    assert route.language_code == "fr"


def test_a_site_change_is_seen_at_once(home):
    assert find_site(_request("example.org")).hostname == "localhost"
    Site.objects.create(hostname="example.org", port=80, root_page=home)
    assert find_site(_request("example.org")).hostname == "example.org"
    Site.objects.filter(hostname="example.org").first().delete()
    assert find_site(_request("example.org")).hostname == "localhost"
    site = Site.objects.get()
    site.is_default_site = False
    site.save()
    assert find_site(_request("example.org")) is None


def test_pages_api_and_feeds_share_the_resolver(home, client):
    """One answer per request, kept on it: a second call makes no query and no cache read."""
    request = _request("localhost")
    route = find_site(request)
    with CaptureQueriesContext(connection) as queries:
        assert find_site(request) is route
    assert len(queries) == 0
    assert route.root_url == Site.objects.get(is_default_site=True).root_url


def test_no_cache_alias_asks_wagtail_every_time(home):
    from django.test import override_settings

    with override_settings(MMM_WAGTAIL={"CACHE_ALIAS": None}):
        find_site(_request("localhost"))
        with CaptureQueriesContext(connection) as queries:
            route = find_site(_request("localhost"))
        assert len(queries) >= 1
        assert route.pk == Site.objects.get(is_default_site=True).pk
    from django.core.cache import cache

    assert cache.get(SITES_KEY) is None  # nothing was stored


def test_the_entry_is_versioned_and_holds_plain_values(home):
    from django.core.cache import cache

    find_site(_request("example.org"))
    assert SITES_KEY.endswith(f":v{VERSION}")
    stored = cache.get(SITES_KEY)
    assert set(stored) == {"example.org:80"}  # Wagtail's port: the server's
    assert all(type(value) in (int, str, bool) for value in stored["example.org:80"])


def test_arbitrary_host_names_do_not_grow_the_entry(home, monkeypatch):
    from django.core.cache import cache

    from mmm_wagtail import sites

    monkeypatch.setattr(sites, "MAX_HOSTS", 3)
    for number in range(6):
        assert find_site(_request(f"host{number}.example")).is_default_site
    assert len(cache.get(SITES_KEY)) == 3


def test_a_host_outside_allowed_hosts_is_answered_as_wagtail_does_and_never_remembered(home, settings):
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = ["localhost"]
    Site.objects.create(hostname="example.org", port=80, root_page=home)
    expected = Site.find_for_request(_request("example.org"))
    assert find_site(_request("example.org")).pk == expected.pk
    assert find_site(_request("localhost")).is_default_site
    assert set(cache.get(SITES_KEY)) == {"localhost:80"}
