"""news/?search= on PostgreSQL with Wagtail's database backend: pushed into the listing query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mmm_wagtail import queries

from .conftest import get_json, make_news

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the push-down reads Wagtail's PostgreSQL index table"
)


@pytest.fixture
def found(tree):
    _, eu, un = tree
    pages = [
        make_news(eu if day % 2 else un, date=datetime.date(2024, 1, day), title=f"Maternité {day}")
        for day in range(1, 6)
    ]
    make_news(eu, title="Autre chose")
    return pages


def test_few_matches_are_ids_many_a_condition_of_the_listing(found, monkeypatch, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    newest_first = [page.pk for page in reversed(found)]
    assert sorted(queries.search_news_ids("maternité", "fr")) == sorted(newest_first)
    monkeypatch.setattr(queries, "SEARCH_IDS_LIMIT", 2)
    search = queries.search_news_ids("maternité", "fr")
    assert isinstance(search, queries.TextSearch)
    filters = queries.NewsFilters(search_ids=search)
    assert queries.news_page("fr", None, filters, 0, 3) == (newest_first[:3], 5)
    with CaptureQueriesContext(connection) as captured:
        assert queries.news_page("fr", None, filters, 3, 3) == (newest_first[3:], 5)
    assert len(captured) == 1  # the page, the stored count read with it
    assert "@@" in captured[0]["sql"]
    assert queries.search_news_ids("maternité", "en") == ()


def test_the_api_answers_the_same_either_way(found, client, monkeypatch, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    by_ids = get_json(client, "news/?search=maternité&limit=2")
    monkeypatch.setattr(queries, "SEARCH_IDS_LIMIT", 1)
    pushed = get_json(client, "news/?search=maternité&limit=2")
    assert pushed["count"] == by_ids["count"] == 5
    assert [item["id"] for item in pushed["items"]] == [item["id"] for item in by_ids["items"]]
    assert get_json(client, "news/?search=maternité%20zzz")["count"] == 0
    found[-1].unpublish()
    assert get_json(client, "news/?search=maternité&limit=2")["count"] == 4
