"""Issue #20, finding 5: a ``search`` that parses to no word (``-``, ``--``, ``-""``) answers 200
with no items on every backend: the listing's own vectors (PostgreSQL), Wagtail's database
backend (SQLite FTS, or its fallback without it), never a 500."""

import pytest

from mmm_wagtail import queries

from .conftest import get_json, make_news

NOTHING = ["-", "--", '-""', "- -", "-\t-", "--- ---"]


@pytest.fixture
def listed(tree, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    _, eu, _un = tree
    return make_news(eu, title="Maternité")


@pytest.mark.parametrize("text", NOTHING)
def test_a_search_with_no_word_lists_nothing(listed, client, text):
    answer = client.get("/api/mmm/news/", {"search": text})
    assert answer.status_code == 200, answer.content[:500]
    assert answer.json()["count"] == 0
    assert answer.json()["items"] == []
    # The word itself is still found, hyphens around it or not.
    assert get_json(client, "news/?search=-maternit%C3%A9-")["count"] == 1


@pytest.mark.parametrize("text", NOTHING)
def test_search_news_ids_of_no_word_is_empty(listed, text):
    found = queries.search_news_ids(text, "fr")
    filters = queries.NewsFilters(search_ids=found)
    assert queries.news_page("fr", None, filters) == ([], 0)
    # And as the condition the listing applies itself (PostgreSQL's vectors).
    if queries.NewsListingSearch.in_use():
        pushed = queries.NewsFilters(search_ids=queries.TextSearch(text, ("fr",)))
        assert queries.news_page("fr", None, pushed) == ([], 0)


@pytest.mark.parametrize("text", NOTHING)
def test_the_database_fallback_backend_of_no_word_is_empty(listed, settings, text):
    # Wagtail's database backend without full-text support (any database): its fallback.
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database.fallback"}}
    filters = queries.NewsFilters(search_ids=queries.search_news_ids(text, "fr"))
    assert queries.news_page("fr", None, filters) == ([], 0)
