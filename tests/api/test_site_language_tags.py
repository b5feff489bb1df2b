"""Defect 1 of issue #25: a response's dependency tags come from the language the request
resolved (the site's root language), not from ``LANGUAGE_CODE``: on an English site of a
French project a new feed and a first news item are seen at once, not after CACHE_TIMEOUT."""

import pytest

from tests.feed_helpers import feed

from .conftest import get_json, make_news, site_with_a_delegation

HOST = "en.example"


@pytest.fixture
def english_delegation(db, locale_en):
    """A second site, ``en.example``, whose root page is English (the project's LANGUAGE_CODE is fr)."""
    return site_with_a_delegation(HOST, "en-home", locale_en, title="EU", organisation="European Union")


def test_a_new_feed_of_an_english_site_is_listed_at_once(english_delegation, locale_en, client):
    assert get_json(client, "feeds/", HTTP_HOST=HOST)["count"] == 0
    assert "mmm-feeds-en" in client.get("/api/mmm/feeds/", HTTP_HOST=HOST)["Cache-Tag"]
    feed(locale_en, slug="everything", title="Everything")
    assert [item["slug"] for item in get_json(client, "feeds/", HTTP_HOST=HOST)["items"]] == ["everything"]


def test_an_empty_news_listing_of_an_english_site_shows_its_first_item(english_delegation, client):
    assert get_json(client, "news/", HTTP_HOST=HOST)["items"] == []
    assert get_json(client, "delegations/", HTTP_HOST=HOST)["items"][0]["latest_news"] == []
    make_news(english_delegation, title="First")
    assert [item["title"] for item in get_json(client, "news/", HTTP_HOST=HOST)["items"]] == ["First"]
    (delegation,) = get_json(client, "delegations/", HTTP_HOST=HOST)["items"]
    assert [item["title"] for item in delegation["latest_news"]] == ["First"]
