"""``sites.find_site`` answers as Wagtail's ``Site.find_for_request`` does, without a query
once the sites are cached, and forgets them when a Site changes."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from mmm_wagtail.sites import find_site, forget_sites


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
