"""Hostile input (issue #15): every answer a problem+json 4xx naming the parameter, never a
500, an HTML page or a redirect; the work a request can ask for bounded by statement counts
and sizes, not timers. Runs with DEBUG off (tests/settings.py), on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from .conftest import API

PROBLEM = "application/problem+json"


def problem(response, status, parameter="any"):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    if parameter != "any":
        assert body["errors"][0]["parameter"] == parameter, body
    return body


def work(client, path):
    """(statements, characters of SQL) one request costs."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code < 500
    return len(queries), sum(len(q["sql"]) for q in queries)


# 1. repeated parameters: merged, capped -----------------------------------------------------


def test_a_repeated_tag_is_one_filter(demo, client):
    items = client.get(API + "news/?limit=100").json()["items"]
    slug = next(tag["slug"] for item in items for tag in item["tags"])
    # The first request of a listing counts it and stores its length (any page of it).
    client.get(f"{API}news/?tag={slug}&limit=19")
    many_tags = f"{API}news/?" + "&".join([f"tag={slug}"] * 300)
    with override_settings(MMM_WAGTAIL={"CACHE_ALIAS": None}):  # built, both of them
        once = work(client, f"{API}news/?tag={slug}")
        many = work(client, many_tags)
    assert many == once
    # With the shared cache the repeats are the single value's entry (cache.responses._key).
    client.get(f"{API}news/?tag={slug}")
    assert client.get(many_tags).mmm_cache_hit
    assert client.get(f"{API}news/?" + "&".join([f"tag={slug}"] * 300)).json() == (
        client.get(f"{API}news/?tag={slug}").json()
    )


def test_too_many_different_values_are_a_400_before_any_query(demo, client):
    query = "&".join(f"tag=t{n}" for n in range(11))
    client.get(API)  # the Site of this host, remembered (sites.find_site), as on a running site
    with CaptureQueriesContext(connection) as queries:
        body = problem(client.get(f"{API}news/?{query}"), 400, "tag")
    assert len(queries) <= 2  # the site lookup at most: no per-value work
    assert "10" in body["errors"][0]["message"]
    problem(client.get(f"{API}news/?" + "&".join(f"delegation=d{n}" for n in range(11))), 400, "delegation")


def test_work_is_bounded_whatever_the_values(demo, client):
    plain = work(client, f"{API}news/")
    for query in (
        "&".join(f"tag=t{n}" for n in range(999)),
        "&".join(f"delegation={n}" for n in range(999)),
        "search=" + "x" * 100_000,
        "limit=" + "9" * 100_000,
    ):
        statements, size = work(client, f"{API}news/?{query}")
        assert statements <= plain[0] and size <= 10 * plain[1], query[:40]


# 2. search and paths: quotes, NUL -------------------------------------------------------------


@pytest.mark.parametrize("term", ['5"', "l'\"éducation", '"', '""', 'a"b"c"', "*", "(", "NEAR", "-x", "^"])
def test_odd_search_terms_are_answered(demo, client, term):
    response = client.get(API + "news/", {"search": term})
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize(
    "path, parameter",
    [
        ("news/?search=a%00b", "search"),
        ("news/?search=%00", "search"),
        ("pages/find/?path=/%00", "path"),
        ("pages/find/?path=/fr/%00/", "path"),
        ("news/?search=%20%20", "search"),
        ("news/?tag=a%00", "tag"),
    ],
)
def test_nul_bytes_and_blank_text_are_400s(demo, client, path, parameter):
    problem(client.get(API + path), 400, parameter)


# 3, 9. ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, parameter",
    [
        ("delegations/12345678901234567890/rss/", "id"),
        ("delegations/12345678901234567890/atom/", "id"),
        ("delegations/12345678901234567890/json/", "id"),
        ("delegations/-1/rss/", "id"),
        ("delegations/abc/rss/", "id"),
        ("feeds/%25/rss/", "slug"),
        ("feeds/a%20b/atom/", "slug"),
        ("news/9%0A/", "id"),
        ("delegations/9%0A/", "id"),
        ("pages/12345678901234567890/", "id"),
        ("news/?delegation=5%0A", "delegation"),
        ("news/?tag=x%0A", "tag"),
        ("news/?date_from=2024-01-01%0A", "date_from"),
    ],
)
def test_malformed_ids_are_400s_naming_them(demo, client, path, parameter):
    problem(client.get(API + path), 400, parameter)


# 10. the right parameter named ---------------------------------------------------------------


def test_the_parameter_that_missed_is_named(demo, client):
    problem(client.get(API + "pages/find/?path=/"), 404, "path")
    body = problem(client.get(API + "feeds/nope/rss/"), 404, "slug")
    assert "page" not in body["errors"][0]["message"].lower()


# 6, 7. methods, unknown paths, oversized queries, hosts ----------------------------------------


@pytest.mark.parametrize("path", ["", "news/", "news/?limit=2", "delegations/", "feeds/", "openapi.json"])
def test_head_is_answered_like_get(demo, client, path):
    get, head = client.get(API + path), client.head(API + path)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["news/", "news/1/", "feeds/x/", "delegations/1/rss/", "feeds/x/json/"])
def test_other_methods_are_405_with_allow(demo, client, method, path):
    # The test client enforces no CSRF; the live-server check below does.
    response = getattr(client, method)(API + path)
    problem(response, 405, None)
    assert response["Allow"] == "GET, HEAD"


def test_feeds_refuse_post_with_405_not_a_csrf_403(demo):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(API + "delegations/1/rss/")
    problem(response, 405, None)


@pytest.mark.parametrize("path", ["nope", "nope/", "news", "news/1/extra/", "feeds/x/y/z/", "%C3%A9"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_paths_under_the_mount_are_json_404s(demo, client, path, method):
    response = getattr(client, method)(API + path)
    assert "Location" not in response
    problem(response, 404, None)


@pytest.mark.parametrize("path", ["news", "delegations", "feeds/x/rss"])
def test_a_path_without_its_final_slash_names_the_right_one(demo, client, path):
    body = problem(client.get(API + path + "?limit=5"), 404, None)
    assert body["errors"][0]["message"].endswith(f"{API}{path}/?limit=5")
    body = problem(client.get(API + "nope"), 404, None)
    assert API not in body["errors"][0]["message"]  # no path of ours is one slash away


@override_settings(DEBUG=True)
def test_post_without_a_slash_is_no_500_even_with_debug(demo, client):
    problem(client.post(API + "news"), 404, None)


def test_more_than_a_thousand_parameters(demo, client):
    problem(client.get(API + "news/?" + "&".join(f"p{n}=1" for n in range(1001))), 400, None)


@override_settings(ALLOWED_HOSTS=["localhost", "testserver"])
def test_a_rejected_host_is_json_under_the_mount(demo, client):
    problem(client.get(API + "news/", HTTP_HOST="evil.example"), 400, None)
    problem(client.get(API + "delegations/1/rss/", HTTP_HOST="evil.example"), 400, None)


def test_hundred_kilobyte_values(demo, client):
    big = "x" * 100_000
    for name in ("search", "tag", "delegation", "locale", "order", "date_from", "limit", "offset", big):
        response = client.get(API + "news/", {name: big})
        assert response.status_code == 400, name
        assert len(response.content) < 2_000
    problem(client.get(API + "pages/find/", {"path": "/" + big}), 400, "path")


# 8. the Host header is not reflected ------------------------------------------------------------


def test_links_come_from_the_site_not_the_host_header(demo, client):
    for path in ("news/?limit=1", "delegations/", "feeds/", ""):
        response = client.get(API + path, HTTP_HOST="evil.example")
        assert response.status_code == 200
        assert b"evil.example" not in response.content, path
        assert "Host" in response["Vary"]
    listing = client.get(API + "news/?limit=1", HTTP_HOST="evil.example").json()
    assert listing["next"].startswith("http://localhost/api/mmm/news/")
    delegation = client.get(API + "delegations/", HTTP_HOST="evil.example").json()["items"][0]
    feed = client.get(API + f"delegations/{delegation['id']}/rss/", HTTP_HOST="evil.example")
    assert feed.status_code == 200 and b"evil.example" not in feed.content


def test_an_address_without_parameters_says_so_in_french(demo, client):
    """Was "Paramètres connus : none." (an English word in the French message)."""
    # The API's root takes none (details take rich_text_format).
    body = problem(client.get(f"{API}?x=1", HTTP_ACCEPT_LANGUAGE="fr"), 400, "x")
    assert body["errors"][0]["message"] == "Paramètre inconnu : cette adresse n’accepte aucun paramètre."
