"""Every parameter of news/ does what it says; every bad value is a 400 naming it."""

import datetime

import pytest
from django.test import override_settings
from taggit.models import Tag

from mmm_wagtail.models import TagTranslation

from .conftest import get_json, make_news


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("colour=blue", "colour"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=1&limit=2", "limit"),
        ("offset=-1", "offset"),
        ("offset=1.5", "offset"),
        ("date_from=2024-13-01", "date_from"),
        ("date_from=yesterday", "date_from"),
        ("date_to=2024-1-1", "date_to"),
        ("order=newest", "order"),
        ("locale=de", "locale"),
        ("locale=", "locale"),
        ("delegation=a%20b", "delegation"),
        ("tag=a%20b", "tag"),
        ("search=", "search"),
        ("search=" + "x" * 300, "search"),
    ],
)
def test_bad_news_parameters_are_400s_naming_the_parameter(demo, client, query, parameter):
    response = client.get("/api/mmm/news/?" + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors[0]["parameter"] == parameter
    assert errors[0]["message"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("delegation=no-such-delegation", "delegation"),
        ("delegation=999999", "delegation"),
        ("tag=no-such-tag", "tag"),
    ],
)
def test_well_formed_references_to_nothing_are_404s_naming_the_parameter(demo, client, query, parameter):
    # Well-formed (the OpenAPI document allows them), but nothing published has that name.
    response = client.get("/api/mmm/news/?" + query)
    assert response.status_code == 404
    assert response.json()["errors"][0]["parameter"] == parameter


def test_a_reversed_date_range_matches_nothing(demo, client):
    assert get_json(client, "news/?date_from=2024-02-01&date_to=2024-01-01") == {
        "count": 0,
        "next": None,
        "previous": None,
        "items": [],
    }


@pytest.mark.parametrize(
    "path, parameter",
    [
        ("news/abc/", "id"),
        ("news/1x/", "id"),
        ("delegations/-1/", "id"),
        ("pages/%C3%A9/", "id"),
        ("news/1/?locale=fr", "locale"),
        ("delegations/?limit=2", "limit"),
        ("feeds/?limit=0", "limit"),
        ("feeds/x/?locale=xx", "locale"),
        ("feeds/a%20b/", "id_or_slug"),
        ("pages/find/", "path"),
        ("pages/find/?path=fr/x/", "path"),
        ("?x=1", "x"),
    ],
)
def test_bad_parameters_elsewhere(demo, client, path, parameter):
    response = client.get("/api/mmm/" + path)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["parameter"] == parameter


def test_unknown_ids_are_404_json(demo, client):
    for path in ("news/999999/", "delegations/999999/", "pages/999999/", "feeds/999999/", "feeds/nope/"):
        response = client.get("/api/mmm/" + path)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["message"]


def test_limit_offset_next_previous(demo, client):
    page = get_json(client, "news/?limit=3&offset=3")
    assert page["count"] == 7 and len(page["items"]) == 3
    assert page["next"] == "http://localhost/api/mmm/news/?limit=3&offset=6"
    assert page["previous"] == "http://localhost/api/mmm/news/?limit=3&offset=0"
    everything = [i["id"] for i in get_json(client, "news/?limit=7")["items"]]
    assert [i["id"] for i in page["items"]] == everything[3:6]
    last = get_json(client, "news/?limit=3&offset=6")
    assert last["next"] is None and len(last["items"]) == 1
    beyond = get_json(client, "news/?offset=50")
    assert beyond["count"] == 7 and beyond["items"] == [] and beyond["next"] is None


@override_settings(MMM_WAGTAIL={"API_DEFAULT_LIMIT": 2, "API_MAX_LIMIT": 5})
def test_limit_default_and_maximum_come_from_settings(demo, client):
    assert len(get_json(client, "news/")["items"]) == 2
    assert get_json(client, "news/?limit=5")["count"] == 7
    assert get_json(client, "news/?limit=6", status=400)["errors"][0]["parameter"] == "limit"


def test_order(demo, client):
    def ids(order):
        return [(i["date"], i["title"]) for i in get_json(client, f"news/?limit=7&order={order}")["items"]]

    assert ids("-date") == sorted(ids("-date"), reverse=True)
    assert ids("date") == list(reversed(ids("-date")))
    assert [t for _, t in ids("title")] == sorted(t for _, t in ids("title"))
    assert [t for _, t in ids("-title")] == sorted((t for _, t in ids("title")), reverse=True)


def test_same_date_ties_are_broken_by_id(tree, client):
    _, eu, _ = tree
    pages = [make_news(eu, date=datetime.date(2024, 5, 5)) for _ in range(4)]
    got = [i["id"] for i in get_json(client, "news/")["items"]]
    assert got == sorted((p.pk for p in pages), reverse=True)
    assert [i["id"] for i in get_json(client, "news/?order=date")["items"]] == sorted(p.pk for p in pages)


def test_delegation_filter_by_id_or_slug_is_an_or(demo, client):
    delegations = {d["acronym"]: d for d in get_json(client, "delegations/")["items"]}
    eu = get_json(client, "news/?delegation=union-europeenne")
    assert eu["count"] == 2
    unesco = get_json(client, f"news/?delegation={delegations['UNESCO']['id']}")
    # Its own item and the related ONU item.
    assert unesco["count"] == 2
    both = get_json(client, f"news/?delegation=union-europeenne&delegation={delegations['UNESCO']['id']}")
    assert both["count"] == 4


def test_tag_filter_is_an_and(demo, client):
    assert get_json(client, "news/?tag=%C3%A9ducation")["count"] == 3
    assert get_json(client, "news/?tag=droits-humains")["count"] == 3
    assert get_json(client, "news/?tag=%C3%A9ducation&tag=droits-humains")["count"] == 1


def test_tag_filter_takes_the_locale_translation_slug(demo, client, locale_fr):
    tag = Tag.objects.get(name="éducation")
    TagTranslation.objects.create(tag=tag, locale=locale_fr, name="Éducation", slug="education-fr")
    data = get_json(client, "news/?tag=education-fr")
    assert data["count"] == 3
    assert {"slug": "education-fr", "name": "Éducation"} in data["items"][0]["tags"]


def test_date_range_is_inclusive(demo, client):
    data = get_json(client, "news/?date_from=2024-12-05&date_to=2024-12-16")
    assert sorted(i["date"] for i in data["items"]) == ["2024-12-05", "2024-12-14", "2024-12-16"]
    assert get_json(client, "news/?date_to=2024-06-19")["count"] == 1


def test_search(demo, client):
    data = get_json(client, "news/?search=Ivoire")
    assert [i["meta"]["slug"] for i in data["items"]] == ["leducation-des-filles-en-cote-divoire"]
    assert get_json(client, "news/?search=zzzqqq")["count"] == 0


def test_locale(demo, client, locale_en):
    assert get_json(client, "news/?locale=fr")["count"] == 7
    # Nothing is translated into English in the demo.
    assert get_json(client, "news/?locale=en")["count"] == 0
    assert get_json(client, "delegations/?locale=en")["count"] == 0
