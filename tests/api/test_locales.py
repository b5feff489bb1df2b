"""The API per locale, on the demo's French and English content (issue 5).

The demo translates the landing page, the three delegations, the feed and three of the seven
news items into English; the other four are untranslated. ``UNTRANSLATED`` "hide" (the
default) lists only a locale's own pages; "fallback" adds the untranslated French pages,
marked by their real ``meta.locale``.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.models import Locale, Page
from wagtail_localize.synctree import synchronize_tree

from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsPage
from mmm_wagtail.translating import translate
from tests import db_snapshot

from .conftest import API, get_json

FALLBACK = {"UNTRANSLATED": "fallback", "CACHE_ALIAS": None}
TRANSLATED = {  # French slug -> English slug
    "mav-transformer-les-defis-de-la-maternite": "mav-turning-the-challenges-of-motherhood",
    "du-local-au-mondial": "from-local-to-global",
    "les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation": (
        "mmm-teams-mobilise-for-the-right-to-education"
    ),
}
UNTRANSLATED = {
    "soutien-aux-enfants-et-aux-familles-en-europe",
    "investir-dans-leducation-et-la-protection-de-la-petite-enfance",
    "leducation-des-filles-en-cote-divoire",
    "les-voix-des-meres-au-conseil-des-droits-de-lhomme",
}


@pytest.fixture(scope="session")
def _synced_rows(_demo_multilingual_rows, django_db_blocker):
    def build():
        _demo_multilingual_rows.restore()
        synchronize_tree(Locale.objects.get(language_code="fr"), Locale.objects.get(language_code="en"))

    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(build)  # once per worker (tests/db_snapshot.py)


@pytest.fixture
def synced_tree(db, _synced_rows):
    """The demo plus wagtail-localize's alias pages for everything not translated."""
    _synced_rows.restore()
    # The restored rows' own locale (a Locale made before the restore may have another id on
    # PostgreSQL, whose sequences a rolled-back snapshot build still advanced).
    english = Locale.objects.get(language_code="en")
    assert NewsPage.objects.filter(locale=english, alias_of__isnull=False).count() == 4
    return DelegationIndexPage.objects.get(slug="delegations", locale__language_code="fr")


def slugs(items):
    return [item["meta"]["slug"] for item in items]


def news(client, query=""):
    return get_json(client, "news/?limit=50" + query)["items"]


def french(slug):
    return NewsPage.objects.get(slug=slug, locale__language_code="fr", alias_of__isnull=True)


# -- hide (the default) ----------------------------------------------------------------------


def test_each_locale_lists_only_its_own_items(synced_tree, client):
    english = news(client, "&locale=en")
    assert sorted(slugs(english)) == sorted(TRANSLATED.values())
    assert {item["meta"]["locale"] for item in english} == {"en"}
    assert all("/en/" in item["meta"]["html_url"] for item in english)
    french_items = news(client, "&locale=fr")
    assert sorted(slugs(french_items)) == sorted([*TRANSLATED, *UNTRANSLATED])
    assert {item["meta"]["locale"] for item in french_items} == {"fr"}
    # The default locale is the site's default language.
    assert news(client) == french_items


def test_each_cards_translations_link_the_other_language(synced_tree, client):
    for item in news(client, "&locale=en"):
        source = french(next(fr for fr, en in TRANSLATED.items() if en == item["meta"]["slug"]))
        assert item["meta"]["translations"] == [
            {
                "locale": "fr",
                "id": source.pk,
                "title": source.title,
                "html_url": source.get_full_url(),
                "detail_url": f"http://localhost{API}news/{source.pk}/",
            }
        ]
    for item in news(client, "&locale=fr"):
        links = item["meta"]["translations"]
        if item["meta"]["slug"] in UNTRANSLATED:
            assert links == []  # the alias pages of the synchronised tree are no translation
        else:
            english = NewsPage.objects.get(slug=TRANSLATED[item["meta"]["slug"]])
            assert [(link["locale"], link["id"]) for link in links] == [("en", english.pk)]
            assert links[0]["html_url"] == english.get_full_url()


def test_details_carry_the_same_translations_as_cards(synced_tree, client):
    card = news(client, "&locale=en")[0]
    detail = get_json(client, f"news/{card['id']}/")
    assert detail["translations"] == detail["meta"]["translations"] == card["meta"]["translations"]
    delegations = get_json(client, "delegations/?locale=en")["items"]
    for delegation in delegations:
        assert [link["locale"] for link in delegation["meta"]["translations"]] == ["fr"]
        detail = get_json(client, f"delegations/{delegation['id']}/")
        assert detail["translations"] == delegation["meta"]["translations"]


def test_tag_filter_takes_the_english_and_the_canonical_slug(synced_tree, client):
    by_english = news(client, "&locale=en&tag=human-rights")
    by_canonical = news(client, "&locale=en&tag=droits-humains")
    assert by_english == by_canonical
    assert sorted(slugs(by_english)) == [
        "from-local-to-global",
        "mmm-teams-mobilise-for-the-right-to-education",
    ]
    for item in by_english:
        assert {"slug": "human-rights", "name": "human rights"} in item["tags"]
    # French readers see and filter by the French names.
    by_french = news(client, "&locale=fr&tag=droits-humains")
    assert len(by_french) == 3
    assert all({"slug": "droits-humains", "name": "droits humains"} in item["tags"] for item in by_french)
    # An English slug means nothing to French readers... unless it is canonical: 404 naming it.
    assert get_json(client, "news/?locale=fr&tag=human-rights", status=404)["errors"][0]["parameter"] == "tag"


def test_date_display_follows_the_locale(synced_tree, client):
    (english,) = news(client, "&locale=en&search=global")
    assert (english["date"], english["date_display"]) == ("2024-12-16", "16 December 2024")
    (french_item,) = [
        item for item in news(client, "&locale=fr") if item["meta"]["slug"] == "du-local-au-mondial"
    ]
    assert french_item["date_display"] == "16.12.24"


def test_a_synced_french_date_shows_in_the_english_card(synced_tree, client, locale_en):
    source = french("du-local-au-mondial")
    source.date = datetime.date(2025, 1, 20)
    source.save_revision().publish()
    translate(source, locale_en, {}, fallback=True)  # "Sync translated pages"
    (card,) = news(client, "&locale=en&search=global")
    assert (card["date"], card["date_display"]) == ("2025-01-20", "20 January 2025")
    assert news(client, "&locale=en")[0]["meta"]["slug"] == "from-local-to-global"  # newest now


def test_an_english_title_edit_leaves_the_french_card(synced_tree, client):
    before = {item["id"]: item for item in news(client, "&locale=fr")}
    english = NewsPage.objects.get(slug="from-local-to-global")
    english.title = "From local to global, revised"
    english.save_revision().publish()
    after = {item["id"]: item for item in news(client, "&locale=fr")}
    source = french("du-local-au-mondial")
    assert after[source.pk]["title"] == before[source.pk]["title"] == source.title
    # Only the link to the English version changed.
    assert after[source.pk]["meta"]["translations"][0]["title"] == "From local to global, revised"


def test_an_unknown_locale_is_a_400_everywhere(synced_tree, client):
    for path in (
        "news/?locale=de",
        "delegations/?locale=de",
        "feeds/?locale=de",
        "feeds/actualite-des-delegations/?locale=de",
    ):
        error = get_json(client, path, status=400)["errors"][0]
        assert error["parameter"] == "locale", path
    response = client.get("/api/mmm/feeds/actualite-des-delegations/rss/?locale=de")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "locale"


def test_find_english_french_and_plain_paths(synced_tree, client):
    assert get_json(client, "pages/find/?path=/en/delegations/un/")["meta"]["locale"] == "en"
    assert get_json(client, "pages/find/?path=/fr/delegations/onu/")["meta"]["locale"] == "fr"
    assert get_json(client, "pages/find/?path=/delegations/onu/")["meta"]["locale"] == "fr"
    english = get_json(client, "pages/find/?path=/en/delegations/")
    assert english["meta"]["type"] == "mmm_wagtail.DelegationIndexPage"
    assert [d["acronym"] for d in english["delegations"]] == ["EU", "UN", "UNESCO"]
    assert [link["locale"] for link in english["translations"]] == ["fr"]
    # An English slug under the French prefix is no page.
    get_json(client, "pages/find/?path=/fr/delegations/un/", status=404)


# -- fallback --------------------------------------------------------------------------------


@override_settings(MMM_WAGTAIL=FALLBACK)
def test_fallback_adds_untranslated_french_items_once(synced_tree, client):
    items = news(client, "&locale=en")
    assert len(items) == 7
    english = [item for item in items if item["meta"]["locale"] == "en"]
    fallback = [item for item in items if item["meta"]["locale"] == "fr"]
    assert sorted(slugs(english)) == sorted(TRANSLATED.values())
    assert sorted(slugs(fallback)) == sorted(UNTRANSLATED)
    aliases = set(Page.objects.filter(alias_of__isnull=False).values_list("pk", flat=True))
    assert not aliases & {item["id"] for item in items}
    keys = Page.objects.filter(pk__in=[item["id"] for item in items]).values_list(
        "translation_key", flat=True
    )
    assert len(set(keys)) == 7
    for item in fallback:
        assert "/fr/" in item["meta"]["html_url"]
        assert item["meta"]["translations"] == []
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", item["date_display"])  # the reader's format
    # Newest first across both locales.
    assert [item["date"] for item in items] == sorted((item["date"] for item in items), reverse=True)
    # The default locale is not affected.
    assert sorted(slugs(news(client, "&locale=fr"))) == sorted([*TRANSLATED, *UNTRANSLATED])


@override_settings(MMM_WAGTAIL=FALLBACK)
def test_fallback_items_carry_english_tags_and_delegations(synced_tree, client):
    (item,) = news(client, "&locale=en&tag=early-childhood")
    assert item["meta"]["slug"] == "investir-dans-leducation-et-la-protection-de-la-petite-enfance"
    assert item["meta"]["locale"] == "fr"
    assert {"slug": "early-childhood", "name": "early childhood"} in item["tags"]
    assert news(client, "&locale=en&tag=petite-enfance") == [item]
    english_un = DelegationPage.objects.get(slug="un")
    assert item["delegations"][0] == {"id": english_un.pk, "title": english_un.title, "acronym": "UN"}


@override_settings(MMM_WAGTAIL=FALLBACK)
def test_fallback_delegation_filter_finds_french_items_by_their_french_parent(synced_tree, client):
    english_un = DelegationPage.objects.get(slug="un")
    for value in (english_un.pk, "un", "onu"):
        items = news(client, f"&locale=en&delegation={value}")
        assert "les-voix-des-meres-au-conseil-des-droits-de-lhomme" in slugs(items), value
        assert "from-local-to-global" in slugs(items), value
    # latest_news of the English delegation holds its newest items, French ones included.
    delegations = get_json(client, "delegations/?locale=en")["items"]
    un = next(d for d in delegations if d["id"] == english_un.pk)
    assert slugs(un["latest_news"]) == [
        "from-local-to-global",
        "investir-dans-leducation-et-la-protection-de-la-petite-enfance",
    ]
    assert [item["meta"]["locale"] for item in un["latest_news"]] == ["en", "fr"]


def test_hide_keeps_latest_news_in_the_locale(synced_tree, client):
    english_un = DelegationPage.objects.get(slug="un")
    delegations = get_json(client, "delegations/?locale=en")["items"]
    un = next(d for d in delegations if d["id"] == english_un.pk)
    assert slugs(un["latest_news"]) == [
        "from-local-to-global",
        "mmm-teams-mobilise-for-the-right-to-education",
    ]


def test_untranslated_delegations_fall_back_in_french_tree_order(synced_tree, client, locale_en):
    english_unesco = DelegationPage.objects.get(slug="unesco", locale=locale_en, alias_of__isnull=True)
    english_unesco.unpublish()
    hidden = get_json(client, "delegations/?locale=en")["items"]
    assert [d["acronym"] for d in hidden] == ["EU", "UN"]
    with override_settings(MMM_WAGTAIL=FALLBACK):
        items = get_json(client, "delegations/?locale=en")["items"]
        assert [(d["acronym"], d["meta"]["locale"]) for d in items] == [
            ("EU", "en"),
            ("UN", "en"),
            ("UNESCO", "fr"),
        ]
        unesco = items[2]
        # Its own French item and the English item related to it.
        assert slugs(unesco["latest_news"]) == [
            "leducation-des-filles-en-cote-divoire",
            "mmm-teams-mobilise-for-the-right-to-education",
        ]
        landing = get_json(client, "pages/find/?path=/en/delegations/")
        assert [(d["acronym"], d["meta"]["locale"]) for d in landing["delegations"]] == [
            ("EU", "en"),
            ("UN", "en"),
            ("UNESCO", "fr"),
        ]


def _count(client, path):
    client.get(API + path)  # the first request creates image renditions (Wagtail writes them once)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API + path)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def test_query_counts_stay_constant_with_the_fallback(synced_tree, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    hide = {path: _count(client, path) for path in ("news/?locale=en&limit=1", "news/?locale=en&limit=50")}
    settings.MMM_WAGTAIL = FALLBACK
    fallback = {path: _count(client, path) for path in hide}
    assert len(set(hide.values())) == 1
    assert fallback == hide
    assert max(fallback.values()) <= 8
    assert _count(client, "delegations/?locale=en") == _count(client, "delegations/?locale=fr")


# -- feeds links -----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_feed_links_are_absolute_and_answer(synced_tree, client, locale):
    delegations = get_json(client, f"delegations/?locale={locale}")["items"]
    feeds = get_json(client, f"feeds/?locale={locale}")["items"]
    types = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
    assert delegations and feeds
    for obj in [*delegations, *feeds]:
        links = obj["meta"]["feeds"]
        assert set(links) == set(types)
        for fmt, url in links.items():
            assert url.startswith("http://localhost/"), url
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith(types[fmt]), url
            assert response["Content-Language"] == locale, url


@override_settings(MMM_WAGTAIL=FALLBACK)
def test_syndication_falls_back_like_the_api(synced_tree, client):
    feed = client.get("/api/mmm/feeds/actualite-des-delegations/json/?locale=en").json()
    api = get_json(client, "feeds/actualite-des-delegations/?locale=en")
    assert feed["language"] == "en"
    assert [item["url"] for item in feed["items"]] == [item["meta"]["html_url"] for item in api["items"]]
    languages = {item["url"]: item["language"] for item in feed["items"]}
    assert set(languages.values()) == {"en", "fr"}
    assert all(("/fr/" in url) == (language == "fr") for url, language in languages.items())
    english_un = DelegationPage.objects.get(slug="un")
    rss = client.get(f"/api/mmm/delegations/{english_un.pk}/rss/")
    assert b"<language>en</language>" in rss.content
    assert french("les-voix-des-meres-au-conseil-des-droits-de-lhomme").get_full_url().encode() in rss.content


def test_a_feed_without_locale_is_in_the_sites_language_in_the_api_and_its_rss(home, locale_fr, locale_en):
    """Issue #25, one default language: on an English site of a French project (root page in
    English, LANGUAGE_CODE French), a request naming no locale is answered in English by the
    API and by the feed's RSS alike, not in LANGUAGE_CODE's language by one of them."""
    from django.test import Client
    from wagtail.models import Page, Site

    from mmm_wagtail.locales import default_language_code
    from mmm_wagtail.sites import find_site
    from tests.feed_helpers import delegation, feed, landing, news

    home_en = Page.get_first_root_node().add_child(
        instance=Page(title="English home", slug="english-home", locale=locale_en)
    )
    Site.objects.create(hostname="english.example", root_page=home_en)
    feed(locale_fr, slug="all-news", title="Toutes")
    feed(locale_en, slug="all-news", title="All news")
    news(delegation(landing(home_en), "EN"), "ENGLISH-ITEM", "2024-05-01")

    client = Client(HTTP_HOST="english.example")
    assert default_language_code(find_site(client.get("/").wsgi_request)) == "en"
    api = client.get("/api/mmm/feeds/all-news/").json()
    assert api["meta"]["locale"] == "en" and [i["title"] for i in api["items"]] == ["ENGLISH-ITEM"]
    rss = client.get("/api/mmm/feeds/all-news/rss/").content.decode()
    assert "All news" in rss and "ENGLISH-ITEM" in rss


def test_content_language_is_the_contents_not_the_browsers(demo_multilingual, client):
    """LocaleMiddleware announced the Accept-Language (French JSON labelled ``en``)."""
    for _ in range(2):  # built, then a hit of the shared response cache
        response = client.get(API + "news/?locale=fr", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200 and response["Content-Language"] == "fr"
    response = client.get(API + "news/?locale=en", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "en"
    english = NewsPage.objects.get(slug="from-local-to-global", locale__language_code="en")
    # A detail answers in the page's own language, whatever the reader's.
    response = client.get(f"{API}news/{english.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["meta"]["locale"] == "en" and response["Content-Language"] == "en"
    response = client.get(f"{API}pages/{english.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "en"
    response = client.get(API + "delegations/", HTTP_ACCEPT_LANGUAGE="en")  # the default language
    assert response["Content-Language"] == "fr"


@override_settings(MMM_WAGTAIL=FALLBACK)
def test_untranslated_pages_fall_back_to_the_sites_language_not_language_code(
    home, locale_fr, locale_en, django_capture_on_commit_callbacks
):
    """Issue #25, one default language: on an English site of a French project (root page in
    English, LANGUAGE_CODE French), a French reader's untranslated pages are the site's
    English ones, and an English reader gets no French fallback; the listing's dependency
    tags name the languages it reads, so a new English item shows at once."""
    from django.test import Client
    from wagtail.models import Site

    from mmm_wagtail.locales import fallback_codes
    from mmm_wagtail.sites import find_site
    from tests.feed_helpers import delegation, landing
    from tests.feed_helpers import news as make_item

    home_en = Page.get_first_root_node().add_child(
        instance=Page(title="English home", slug="english-home", locale=locale_en)
    )
    Site.objects.create(hostname="english.example", root_page=home_en)
    client = Client(HTTP_HOST="english.example")
    site = find_site(client.get("/").wsgi_request)
    assert fallback_codes("fr", site=site) == ["fr", "en"]
    assert fallback_codes("en", site=site) == ["en"]
    assert fallback_codes("en") == ["en", "fr"]  # no site: Wagtail's default Locale (LANGUAGE_CODE)

    eu = delegation(landing(home_en), "EN")
    with django_capture_on_commit_callbacks(execute=True):
        make_item(eu, "ENGLISH-ONE", "2024-05-01")
    french = client.get(API + "news/?locale=fr")
    assert [item["title"] for item in french.json()["items"]] == ["ENGLISH-ONE"]
    assert "mmm-list-en" in french["Cache-Tag"]
    english = client.get(API + "news/?locale=en")
    assert "mmm-list-fr" not in english["Cache-Tag"]
    with django_capture_on_commit_callbacks(execute=True):
        make_item(eu, "ENGLISH-TWO", "2024-06-01")
    titles = [item["title"] for item in client.get(API + "news/?locale=fr").json()["items"]]
    assert titles == ["ENGLISH-TWO", "ENGLISH-ONE"]
    delegations = client.get(API + "delegations/?locale=fr").json()["items"]
    assert [d["acronym"] for d in delegations] == ["EN"]
