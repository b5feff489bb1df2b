"""The Site of a request: ``sites.find_site`` is Wagtail's ``Site.find_for_request``; the
response cache remembers Wagtail's answer per host and process (``cache.hosts``), checked by
the hit's own freshness query, so a Site change is seen at the next request of every
process (the memo of another process is not told: only the versions tell it)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from mmm_wagtail.cache import hosts
from mmm_wagtail.sites import find_site

API = "/api/mmm/"


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
def test_both_answer_as_wagtail_for_every_host(home, layout, settings):
    settings.ALLOWED_HOSTS = ["*"]
    Site.objects.all().delete()
    for hostname, port, default in layout:
        Site.objects.create(hostname=hostname, port=port, is_default_site=default, root_page=home)
    for host in HOSTS:
        expected = Site._find_for_request(_request(host))
        expected = expected.pk if expected else None
        found = find_site(_request(host))
        remembered, _ = hosts.remembered(_request(host))
        assert (found.pk if found else None) == expected, host
        assert (remembered.pk if remembered else None) == expected, host


def test_find_site_is_once_per_request_and_knows_the_root_language(home):
    request = _request("localhost")
    route = find_site(request)
    with CaptureQueriesContext(connection) as queries:
        assert find_site(request) is route
    assert len(queries) == 0
    assert route.pk == Site.objects.get(is_default_site=True).pk
    assert route.language_code == "fr"
    assert route.root_url == Site.objects.get(is_default_site=True).root_url


def test_the_memo_makes_no_query_once_it_knows_a_host(home):
    hosts.remembered(_request("localhost"))
    with CaptureQueriesContext(connection) as queries:
        route, stamp = hosts.remembered(_request("localhost"))
    assert len(queries) == 0
    assert route.pk == Site.objects.get(is_default_site=True).pk


def test_a_hit_is_one_query_with_the_site_check_in_it(demo, client):
    client.get(API + "news/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API + "news/").mmm_cache_hit
    assert len(queries) == 1
    assert "mmm_wagtail_contenttag" in queries[0]["sql"]


def test_a_site_change_reaches_a_memo_no_one_told(demo, client, settings):
    """Another process's memo still says example.org is answered by the default site, and the
    default site's entry was rebuilt after the change (a request for its own host): without the
    check of the memo's stamp in the hit's query, that entry would answer example.org."""
    settings.ALLOWED_HOSTS = ["*"]
    default = Site.objects.get(is_default_site=True)
    assert client.get(API + "news/", HTTP_HOST="example.org").json()["items"]
    assert hosts.remembered(_request("example.org"))[0].pk == default.pk
    stale_memo = dict(hosts._known)

    Site.objects.create(hostname="example.org", port=80, root_page=default.root_page, site_name="Other")
    # The default site's own host: its entry is stale (the change) and is built again, fresh.
    assert not client.get(API + "news/", HTTP_HOST="localhost").mmm_cache_hit
    assert client.get(API + "news/", HTTP_HOST="localhost").mmm_cache_hit

    hosts._known.clear()
    hosts._known.update(stale_memo)  # as another process still holds it
    response = client.get(API + "news/", HTTP_HOST="example.org")
    assert not response.mmm_cache_hit
    assert response.json()["items"][0]["meta"]["html_url"].startswith("http://example.org/")
    assert hosts.remembered(_request("example.org"))[0].hostname == "example.org"


def test_a_site_removed_or_no_longer_default_is_seen_at_once(home, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    Site.objects.create(hostname="example.org", port=80, root_page=home)
    assert client.get(API + "site/", HTTP_HOST="example.org").status_code == 200
    assert hosts.remembered(_request("example.org"))[0].hostname == "example.org"
    Site.objects.filter(hostname="example.org").delete()
    client.get(API + "site/", HTTP_HOST="example.org")
    assert hosts.remembered(_request("example.org"))[0].hostname == "localhost"
    site = Site.objects.get()
    site.is_default_site = False
    site.save()
    assert client.get(API + "site/", HTTP_HOST="example.org").status_code == 404
    assert hosts.remembered(_request("example.org"))[0] is None


def test_arbitrary_host_names_do_not_grow_the_memo(home, monkeypatch, settings):
    settings.ALLOWED_HOSTS = ["*"]
    monkeypatch.setattr(hosts, "MAX_HOSTS", 3)
    for number in range(6):
        assert hosts.remembered(_request(f"host{number}.example"))[0].is_default_site
    assert len(hosts._known) == 3


def test_a_host_outside_allowed_hosts_is_refused_and_never_remembered(home, client, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    client.get(API + "site/", HTTP_HOST="localhost")
    assert client.get(API + "site/", HTTP_HOST="localhost").mmm_cache_hit
    assert client.get(API + "site/", HTTP_HOST="example.org").status_code == 400
    assert set(hosts._known) == {"localhost:80"}
    # Pages still get Wagtail's answer, which reads the raw host.
    assert find_site(_request("example.org")).pk == Site.find_for_request(_request("example.org")).pk
