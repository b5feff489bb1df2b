"""news/?search= on PostgreSQL with Wagtail's database backend: the listing's own search vectors, each
in its language's text search configuration, pushed into the listing query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mmm_wagtail import queries

from .conftest import get_json, make_news

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the listing keeps search vectors on PostgreSQL only"
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


@pytest.fixture
def bilingual(tree, locale_en):
    """A French news item and its English translation, each in its own words."""
    index, eu, _ = tree
    french = make_news(eu, title="Écoles maternelles", excerpt="Les mères et la petite enfance.")
    for page in (index.get_parent(), index, eu):
        page.copy_for_translation(locale_en).save_revision().publish()
    english = french.copy_for_translation(locale_en)
    english.title = "Nursery schools"
    english.excerpt = "Mothers and early childhood."
    english.save_revision().publish()
    return french, english


def _titles(client, query):
    return [item["title"] for item in get_json(client, f"news/?{query}")["items"]]


def test_each_language_is_searched_in_its_own_configuration(bilingual, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    # French stemming: "maternel" finds "maternelles", "mère" finds "mères" (one configuration
    # for every language, as Wagtail's index has, stems them otherwise: English "maternell").
    assert _titles(client, "search=maternel&locale=fr") == ["Écoles maternelles"]
    assert _titles(client, "search=mère&locale=fr") == ["Écoles maternelles"]
    # English stemming for the English item; neither language answers the other's reader.
    assert _titles(client, "search=mother&locale=en") == ["Nursery schools"]
    assert _titles(client, "search=mother&locale=fr") == []
    assert _titles(client, "search=maternel&locale=en") == []


def test_the_ids_step_reads_only_the_readers_language(bilingual):
    french, english = bilingual
    assert queries.search_news_ids("maternel", "fr") == (french.pk,)
    assert queries.search_news_ids("mother", "en") == (english.pk,)
    assert queries.search_news_ids("mother", "fr") == ()
    assert queries.search_news_ids("écoles nursery") == ()  # every word in one item ("and")
    assert set(queries.search_news_ids("petite")) == {french.pk}  # every language when none is given


def test_a_configuration_change_is_drift_until_the_listing_is_rebuilt(bilingual, client, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    call_command("rebuild_news_listing", "--check")
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None, "SEARCH_CONFIGS": {"fr": "simple"}}
    with pytest.raises(CommandError, match="1 news page"):
        call_command("rebuild_news_listing", "--check")
    call_command("rebuild_news_listing")
    call_command("rebuild_news_listing", "--check")
    # No stemming now: the exact word only.
    assert _titles(client, "search=maternel&locale=fr") == []
    assert _titles(client, "search=maternelles&locale=fr") == ["Écoles maternelles"]


def test_a_vector_changed_behind_the_signals_back_is_drift(bilingual):
    from mmm_wagtail.listing.rows import drift, rebuild
    from mmm_wagtail.models import NewsListingSearch

    french, english = bilingual
    assert drift() == []
    NewsListingSearch.objects.filter(pk=french.pk).update(language="de")
    NewsListingSearch.objects.filter(pk=english.pk).delete()
    assert drift() == sorted([french.pk, english.pk])
    rebuild()
    assert drift() == []
    french.unpublish()
    NewsListingSearch.objects.create(page_id=french.pk, language="fr", search_vector="")
    assert drift() == [french.pk]  # a vector of a news item no longer listed


def test_an_edit_rewrites_the_vector(bilingual, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    french, _ = bilingual
    french.title = "Crèches"
    french.excerpt = "Accueil des tout-petits."
    french.save_revision().publish()
    assert _titles(client, "search=maternel&locale=fr") == []
    assert _titles(client, "search=crèche&locale=fr") == ["Crèches"]
    # A draft is not searchable: the vector follows the live page.
    french.title = "Brouillon secret"
    french.save_revision()
    assert _titles(client, "search=brouillon&locale=fr") == []


def test_a_renamed_tag_is_searched_by_its_new_name(tree, client, settings):
    from taggit.models import Tag

    from mmm_wagtail.listing.rows import drift

    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    _, eu, _ = tree
    tag = Tag.objects.create(name="allaitement", slug="allaitement")
    make_news(eu, title="Une nouvelle", tags=[tag])
    assert _titles(client, "search=allaitement&locale=fr") == ["Une nouvelle"]
    tag.name = "lactation"
    tag.save()
    assert _titles(client, "search=allaitement&locale=fr") == []
    assert _titles(client, "search=lactation&locale=fr") == ["Une nouvelle"]
    assert drift() == []


def test_a_vector_is_the_same_whatever_language_is_active_when_it_is_written(tree):
    """A vector written during an English request (an editor's admin in English) and one written
    by a French command are the same; a heading's level is layout, never searched."""
    from django.utils import translation

    from mmm_wagtail.listing import rows
    from mmm_wagtail.models import NewsListingSearch

    _, eu, _ = tree
    body = [{"type": "heading", "value": {"text": "Crèches", "level": "h2"}}]
    page = make_news(eu, title="Intertitres", body=body)

    def vector():
        return NewsListingSearch.objects.filter(page_id=page.pk).values_list("search_vector", flat=True).get()

    with translation.override("en"):
        rows.rebuild()
        in_english = vector()
        assert rows.drift() == []
    with translation.override("fr"):
        assert rows.drift() == []
        rows.rebuild()
        assert vector() == in_english
    assert "'heading'" not in in_english and "'titr'" not in in_english  # lexemes are quoted
    assert queries.search_news_ids("heading", "fr") == ()
