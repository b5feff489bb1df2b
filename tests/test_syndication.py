"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of news feeds and delegations, parsed by real parsers."""

import datetime
import html
import json
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Site

from mmm_wagtail import conf
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage, TagTranslation
from mmm_wagtail.syndication.links import feed_links
from tests import db_snapshot

from .feed_helpers import delegation, feed, landing, make_private, news, translate

FORMATS = ["rss", "atom", "json"]
SEED_DATES = ["16.12.24", "14.12.24", "05.12.24", "02.12.24", "15.11.24", "07.10.24"]
DEMO_SLUG = "actualite-des-delegations"


def feed_url(slug, fmt, **query):
    url = reverse(f"mmm_wagtail_feed_{fmt}", kwargs={"slug": slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def delegation_url(pk, fmt):
    return reverse(f"mmm_wagtail_delegation_{fmt}", kwargs={"pk": pk})


def parse(response, fmt):
    """The items as (title, link, date, summary, tags, id) tuples, via feedparser or the JSON Feed spec."""
    assert response.status_code == 200, response.content[:500]
    if fmt == "json":
        assert response["Content-Type"] == "application/feed+json; charset=utf-8"
        document = json.loads(response.content)
        check_json_feed(document)
        return document, [
            {
                "title": item["title"],
                "link": item["url"],
                "date": datetime.datetime.fromisoformat(item["date_published"]),
                "summary": item["content_text"],
                "tags": item.get("tags", []),
                "id": item["id"],
            }
            for item in document["items"]
        ]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == {"rss": "rss20", "atom": "atom10"}[fmt]
    return parsed, [
        {
            "title": entry.title,
            "link": entry.link,
            "date": datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC),
            "summary": html.unescape(entry.summary),
            "tags": [tag.term for tag in entry.get("tags", [])],
            "id": entry.id,
        }
        for entry in parsed.entries
    ]


@pytest.fixture
def no_locale_redirect(settings):
    """The example site's LocaleMiddleware answers any 404 outside i18n_patterns with a 302 to
    the /fr/-prefixed path (Wagtail's catch-all makes it "valid"); without it we see our 404."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("LocaleMiddleware")]


def check_json_feed(document):
    """The requirements of https://www.jsonfeed.org/version/1.1/ that apply to our feeds."""
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(document["title"], str) and document["title"]
    assert isinstance(document["items"], list)
    for key in ("home_page_url", "feed_url"):
        assert document[key].startswith(("http://", "https://"))
    for author in document.get("authors", []):
        assert set(author) & {"name", "url", "avatar"}
    ids = []
    for item in document["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_text", item.get("content_html")), str)
        assert item["url"].startswith(("http://", "https://"))
        for key in ("date_published", "date_modified"):
            if key in item:  # RFC 3339: a full date-time with an offset
                assert datetime.datetime.fromisoformat(item[key]).utcoffset() is not None
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
        ids.append(item["id"])
    assert len(ids) == len(set(ids))


def local_day(value):
    """The date a reader of the site's time zone sees: items are dated midnight there."""
    return timezone.localtime(value).strftime("%d.%m.%y")


# -- The demo: the seed's combined feed ------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_demo_landing_feed_lists_the_seeds_six_items_in_order(client, demo, fmt):
    document, items = parse(client.get(feed_url(DEMO_SLUG, fmt)), fmt)
    assert [local_day(item["date"]) for item in items] == SEED_DATES
    expected = list(NewsPage.objects.live().order_by("-date", "-pk")[:6])
    assert [item["title"] for item in items] == [page.title for page in expected]
    assert [item["link"] for item in items] == [page.get_full_url() for page in expected]
    assert all(item["link"].startswith("http://") for item in items)


def test_demo_rss_channel(client, demo):
    parsed, items = parse(client.get(feed_url(DEMO_SLUG, "rss")), "rss")
    assert parsed.feed.title == "L'actualité des délégations de MMM"
    assert parsed.feed.language == "fr"
    assert parsed.feed.link == demo.get_full_url()  # the landing page shows this feed
    first = items[0]
    assert first["title"] == "Du local au mondial: des solutions concrètes pour mieux soutenir les mères"
    assert sorted(first["tags"]) == ["droits humains", "soins"]
    assert first["summary"].startswith("Le groupe de travail sur la discrimination à l'égard des femmes")
    assert first["id"].startswith("urn:uuid:")
    assert parsed.entries[0].guidislink is False


def test_demo_atom_feed(client, demo):
    parsed, items = parse(client.get(feed_url(DEMO_SLUG, "atom")), "atom")
    assert parsed.feed.language == "fr"
    assert parsed.feed.author == "Make Mothers Matter"
    assert parsed.feed.id.startswith("urn:uuid:")
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == ["http://localhost" + feed_url(DEMO_SLUG, "atom")]
    # <updated> is when the item was last published (the demo was loaded just now), not its date.
    assert parsed.entries[0].updated_parsed > parsed.entries[0].published_parsed


def test_demo_json_feed(client, demo):
    document, items = parse(client.get(feed_url(DEMO_SLUG, "json")), "json")
    assert document["language"] == "fr"
    assert document["authors"] == [{"name": "Make Mothers Matter"}]
    assert document["feed_url"] == "http://localhost" + feed_url(DEMO_SLUG, "json")
    assert all(item["language"] == "fr" for item in document["items"])
    assert "&#x27;" not in json.dumps(document)  # plain text, not HTML


@pytest.mark.parametrize("fmt", FORMATS)
def test_ids_are_stable_and_the_same_in_every_format(client, demo, fmt):
    _, reference = parse(client.get(feed_url(DEMO_SLUG, "rss")), "rss")
    _, items = parse(client.get(feed_url(DEMO_SLUG, fmt)), fmt)
    assert [i["id"] for i in items] == [i["id"] for i in reference]
    # Renaming a page keeps its id (feed readers must not show it as new).
    page = NewsPage.objects.get(slug="du-local-au-mondial")
    page.slug = "du-local-au-mondial-2"
    page.save_revision().publish()
    _, after = parse(client.get(feed_url(DEMO_SLUG, fmt)), fmt)
    assert after[0]["id"] == items[0]["id"] and after[0]["link"] != items[0]["link"]


# -- Delegation feeds ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_delegation_feed_lists_own_and_related_news(client, demo, fmt):
    unesco = DelegationPage.objects.get(slug="unesco")
    document, items = parse(client.get(delegation_url(unesco.pk, fmt)), fmt)
    assert [local_day(item["date"]) for item in items] == ["15.11.24", "19.06.24"]
    assert items[1]["title"] == "Les équipes MMM se mobilisent pour renforcer le droit à l’éducation"
    title = document["title"] if fmt == "json" else document.feed.title
    assert title == "Actualité de l'équipe UNESCO"


def _delegation_with_news(count):
    ue = delegation(landing(Site.objects.get(is_default_site=True).root_page), "UE")
    for i in range(count):
        news(ue, f"N{i}", datetime.date(2024, 1, 1) + datetime.timedelta(days=i))
    return ue.pk


@pytest.fixture(scope="session")
def _delegations_with_news(django_db_setup, django_db_blocker):
    """A delegation with 23 news, and one with 7 (three more than each size below), each built
    once per worker (tests/db_snapshot.py)."""
    with django_db_blocker.unblock():
        return {
            count: db_snapshot.Snapshot.of(lambda count=count: _delegation_with_news(count))
            for count in (conf.DEFAULTS["DELEGATION_FEED_ITEMS"] + 3, 4 + 3)
        }


@pytest.mark.parametrize("size", [None, 4])
def test_delegation_feed_is_cut_at_its_size(client, db, _delegations_with_news, size):
    """``DELEGATION_FEED_ITEMS`` (default 20) newest news."""
    expected = size or conf.DEFAULTS["DELEGATION_FEED_ITEMS"]
    rows = _delegations_with_news[expected + 3]
    rows.restore()
    ue = DelegationPage.objects.get(pk=rows.value)
    with override_settings(MMM_WAGTAIL={"DELEGATION_FEED_ITEMS": size} if size else {}):
        _, items = parse(client.get(delegation_url(ue.pk, "json")), "json")
    assert len(items) == expected
    assert items[0]["title"] == f"N{expected + 2}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_hidden_delegations_are_404(client, demo, no_locale_redirect, fmt):
    onu, ue, unesco = (DelegationPage.objects.get(slug=s) for s in ("onu", "union-europeenne", "unesco"))
    onu.unpublish()
    make_private(ue)
    news_item = NewsPage.objects.get(slug="leducation-des-filles-en-cote-divoire")
    for pk in (onu.pk, ue.pk, news_item.pk, 999999):
        response = client.get(delegation_url(pk, fmt))
        assert response.status_code == 404, pk
    assert client.get(delegation_url(unesco.pk, fmt)).status_code == 200


def test_alias_delegations_are_404(client, demo, no_locale_redirect):
    # wagtail-localize fills untranslated parts of a synchronised tree with aliases: they
    # are not delegations of their own.
    onu = DelegationPage.objects.get(slug="onu")
    alias = onu.create_alias(update_slug="onu-alias")
    assert alias.live
    assert client.get(delegation_url(alias.pk, "rss")).status_code == 404


def test_private_landing_page_hides_its_delegations(client, demo, no_locale_redirect):
    make_private(demo)
    assert client.get(delegation_url(DelegationPage.objects.get(slug="onu").pk, "rss")).status_code == 404


# -- Content rules: what never leaves ----------------------------------------------------------------


def _unpublish(page):
    page.unpublish()


def _draft_title(page):
    page.title = "SECRET DRAFT TITLE"
    page.save_revision()


class _clock:
    """The Python clocks (``timezone.now()``, ``time.time()``) ``offset`` away from the real one:
    what a step done under it stamps (Wagtail's publish, the content versions) is as if done
    then. The database's own clock (``Now()`` in the readable rule) is not moved."""

    def __init__(self, offset):
        self.offset = offset

    def __enter__(self):
        import time
        from unittest import mock

        real_now, real_time, seconds = timezone.now, time.time, self.offset.total_seconds()
        self.patches = [
            mock.patch("django.utils.timezone.now", side_effect=lambda: real_now() + self.offset),
            mock.patch("time.time", side_effect=lambda: real_time() + seconds),
        ]
        for patch in self.patches:
            patch.start()

    def __exit__(self, *exc):
        for patch in reversed(self.patches):
            patch.stop()


def _expire(page):
    # As an editor does it: publish with an expiry, which then passes. Cached responses
    # end at the expiry themselves, without waiting for publish_scheduled. The publish is
    # done 1.1 s ago (its clock moved back, rather than waiting 1.1 s after it): its
    # one-second expiry has passed by the real clock, the database's included.
    with _clock(-datetime.timedelta(seconds=1.1)):
        page.expire_at = timezone.now() + datetime.timedelta(seconds=1)
        page.save_revision().publish()
    assert page.expire_at < timezone.now()


HIDERS = {
    "unpublished": _unpublish,
    "private": make_private,
    "draft-revision": _draft_title,
    "expired": _expire,
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("how", HIDERS)
@pytest.mark.parametrize("kind", ["news-feed", "delegation"])
def test_hidden_items_never_appear(client, demo, fmt, how, kind):
    page = NewsPage.objects.get(slug="du-local-au-mondial")
    url = feed_url(DEMO_SLUG, fmt) if kind == "news-feed" else delegation_url(page.get_parent().pk, fmt)
    page_url = page.get_full_url()
    assert page_url in client.get(url).content.decode()
    HIDERS[how](page)
    body = client.get(url).content.decode()
    assert "SECRET DRAFT TITLE" not in body
    if how == "draft-revision":
        assert page_url in body  # the live version stays
    else:
        assert page_url not in body
        _, items = parse(client.get(url), fmt)
        assert "Du local au mondial" not in " ".join(item["title"] for item in items)


@pytest.mark.parametrize("fmt", FORMATS)
def test_never_published_news_never_appears(client, demo, fmt):
    onu = DelegationPage.objects.get(slug="onu")
    news(onu, "Jamais publiée", "2030-01-01", publish=False)
    assert "Jamais publiée" not in client.get(feed_url(DEMO_SLUG, fmt)).content.decode()
    assert "Jamais publiée" not in client.get(delegation_url(onu.pk, fmt)).content.decode()


# -- Locales -----------------------------------------------------------------------------------------


def _build_bilingual():
    from wagtail.models import Locale

    locale_fr = Locale.objects.get(language_code="fr")
    locale_en = Locale.objects.get_or_create(language_code="en")[0]
    index = landing(Site.objects.get(is_default_site=True).root_page)
    ue = delegation(index, "UE")
    en_ue = translate(ue, locale_en)  # its English parent is an alias of the landing page
    fr_item = news(ue, "Nouvelle", "2024-05-01", tags=["familles"])
    en_item = translate(fr_item, locale_en)
    en_item.title = "News item"
    en_item.save_revision().publish()
    french = feed(locale_fr, slug="actu", delegations=[ue])
    english = feed(locale_en, slug="actu", delegations=[ue], title="News")
    return {
        "ue": ue.pk,
        "en_ue": en_ue.pk,
        "fr": fr_item.pk,
        "en": en_item.pk,
        "fr_feed": french.pk,
        "en_feed": english.pk,
    }


@pytest.fixture(scope="session")
def _bilingual_rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(_build_bilingual)  # once per worker (tests/db_snapshot.py)


@pytest.fixture
def bilingual(db, _bilingual_rows):
    """A French delegation and news item with their English translations, and a feed in each
    language (it makes the English Locale: tests ask for ``locale_en`` after it)."""
    _bilingual_rows.restore()
    pks = _bilingual_rows.value
    return {
        **{name: DelegationPage.objects.get(pk=pks[name]) for name in ("ue", "en_ue")},
        **{name: NewsPage.objects.get(pk=pks[name]) for name in ("fr", "en")},
        **{name: NewsFeed.objects.get(pk=pks[name]) for name in ("fr_feed", "en_feed")},
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_locale_parameter_picks_the_feed_of_that_language(client, bilingual, fmt):
    document, items = parse(client.get(feed_url("actu", fmt, locale="en")), fmt)
    assert [i["title"] for i in items] == ["News item"]
    assert items[0]["link"] == bilingual["en"].get_full_url()
    language = document["language"] if fmt == "json" else document.feed.language
    assert language == "en"
    # Without the parameter: the default language (French here), never English items.
    _, items = parse(client.get(feed_url("actu", fmt)), fmt)
    assert [i["title"] for i in items] == ["Nouvelle"]
    assert client.get(feed_url("actu", fmt, locale="en"))["Content-Language"] == "en"


def test_english_delegation_feed(client, bilingual, locale_en, no_locale_redirect):
    en_ue = bilingual["en_ue"]
    parsed, items = parse(client.get(delegation_url(en_ue.pk, "rss")), "rss")
    assert parsed.feed.language == "en"
    assert [i["title"] for i in items] == ["News item"]


def test_categories_use_tag_translations(client, bilingual, locale_en):
    TagTranslation.objects.create(
        tag=Tag.objects.get(name="familles"), locale=locale_en, name="families", slug="families"
    )
    _, en = parse(client.get(feed_url("actu", "atom", locale="en")), "atom")
    _, fr = parse(client.get(feed_url("actu", "atom")), "atom")
    assert en[0]["tags"] == ["families"] and fr[0]["tags"] == ["familles"]


def test_teaser_uses_the_feeds_teaser_length(client, home, locale_fr):
    ue = delegation(landing(home), "UE")
    news(ue, "Longue", "2024-05-01", excerpt="Un résumé " * 40)
    feed(locale_fr, slug="court", teaser_length=40)
    for fmt in FORMATS:
        _, items = parse(client.get(feed_url("court", fmt)), fmt)
        assert len(items[0]["summary"]) <= 40 and items[0]["summary"].endswith("…"), fmt


# -- Errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query, parameter",
    [
        ("locale=de", "locale"),
        ("locale=", "locale"),
        ("locale=fr&locale=en", "locale"),
        ("limit=5", "limit"),
        ("utm_source=x", "utm_source"),
    ],
)
def test_bad_parameters_are_400_with_the_error_shape(client, demo, fmt, query, parameter):
    response = client.get(feed_url(DEMO_SLUG, fmt) + "?" + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [e["parameter"] for e in errors] == [parameter]
    assert errors[0]["message"].endswith(".") and len(errors[0]["message"]) > 15


def test_delegation_feeds_take_no_parameters(client, demo):
    onu = DelegationPage.objects.get(slug="onu")
    response = client.get(delegation_url(onu.pk, "json") + "?locale=fr")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "locale"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_slug_or_slug_of_another_language_is_404(client, demo, locale_en, no_locale_redirect, fmt):
    assert client.get(feed_url("nope", fmt)).status_code == 404
    assert client.get(feed_url(DEMO_SLUG, fmt, locale="en")).status_code == 404


def test_404_through_the_example_sites_locale_redirect(client, demo):
    response = client.get(feed_url("nope", "rss"), follow=True)
    assert response.status_code == 404


def test_only_get_and_head(client, demo):
    assert client.post(feed_url(DEMO_SLUG, "rss")).status_code == 405
    assert client.head(feed_url(DEMO_SLUG, "rss")).status_code == 200


# -- Cost --------------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _build_two_delegations_with_news():
    from wagtail.models import Locale

    index = landing(Site.objects.get(is_default_site=True).root_page)
    ue, onu = delegation(index, "UE"), delegation(index, "ONU")
    for i in range(25):
        news(
            ue if i % 2 else onu,
            f"N{i}",
            datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            tags=["a", f"t{i}"],
            related=[ue] if i % 3 == 0 else [],
        )
    locale_fr = Locale.objects.get(language_code="fr")
    small = feed(locale_fr, slug="small", item_count=1, delegations=[ue, onu])
    big = feed(locale_fr, slug="big", item_count=20, delegations=[ue, onu])
    return index.pk, ue.pk, small.pk, big.pk


@pytest.fixture(scope="session")
def _two_delegations_rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(_build_two_delegations_with_news)  # once per worker


@pytest.mark.parametrize("fmt", FORMATS)
def test_query_count_does_not_depend_on_item_count(client, db, _two_delegations_rows, fmt, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}  # what a miss costs, on every request
    # A landing page, two delegations, 25 news among them, feeds of 1 and 20 items.
    _two_delegations_rows.restore()
    index_pk, ue_pk, *feeds = _two_delegations_rows.value
    index, ue = DelegationIndexPage.objects.get(pk=index_pk), DelegationPage.objects.get(pk=ue_pk)
    small, big = (NewsFeed.objects.get(pk=pk) for pk in feeds)
    client.get(feed_url("small", fmt))  # warm Wagtail's site-root-paths cache
    counts = {f.item_count: count_queries(client, feed_url(f.slug, fmt)) for f in (small, big)}
    assert counts[1] == counts[20], counts
    # Measured: 12 (locale, feed, landing page, site, view restrictions, delegations, tags,
    # local delegation paths, news, tagged items, tag translations, + the site root paths).
    assert counts[20] <= 12, counts
    few = delegation(index, "UNESCO")
    news(few, "Seule", "2024-03-01", tags=["a"])
    assert count_queries(client, delegation_url(few.pk, fmt)) == count_queries(
        client, delegation_url(ue.pk, fmt)
    )


# -- HTTP caching ------------------------------------------------------------------------------------


@override_settings(
    MMM_WAGTAIL={"CACHE_MAX_AGE": 30, "CACHE_S_MAXAGE": 600, "CACHE_STALE_WHILE_REVALIDATE": 90}
)
def test_cache_control_from_settings(client, demo):
    response = client.get(feed_url(DEMO_SLUG, "rss"))
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=30", "s-maxage=600", "stale-while-revalidate=90"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_conditional_requests(client, demo, fmt):
    url = feed_url(DEMO_SLUG, fmt)
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and parsedate_to_datetime(last_modified)
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not not_modified.content
    assert not_modified["ETag"] == etag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_unpublishing_an_item_defeats_if_modified_since(client, demo):
    # No newer date appears when an item is withdrawn: Last-Modified must still move on.
    url = feed_url(DEMO_SLUG, "rss")
    first = client.get(url)
    # HTTP dates have one-second resolution: the withdrawal and the next request happen a
    # second later (the clock moved on rather than waited for).
    with _clock(datetime.timedelta(seconds=1.01)):
        NewsPage.objects.get(slug="du-local-au-mondial").unpublish()
        response = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert "du-local-au-mondial" not in response.content.decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# -- Links and discovery -----------------------------------------------------------------------------


def test_feed_links_are_absolute_and_work(client, rf, demo):
    request = rf.get("/api/mmm/feeds/")
    feed_obj = NewsFeed.objects.select_related("locale").get(slug=DEMO_SLUG)
    links = feed_links(request, feed_obj)
    assert links == {
        "rss": f"http://localhost/api/mmm/feeds/{DEMO_SLUG}/rss/?locale=fr",
        "atom": f"http://localhost/api/mmm/feeds/{DEMO_SLUG}/atom/?locale=fr",
        "json": f"http://localhost/api/mmm/feeds/{DEMO_SLUG}/json/?locale=fr",
    }
    onu = DelegationPage.objects.get(slug="onu")
    delegation_links = feed_links(request, onu)
    assert delegation_links["atom"] == f"http://localhost/api/mmm/delegations/{onu.pk}/atom/"
    for url in [*links.values(), *delegation_links.values()]:
        assert client.get(url.removeprefix("http://localhost")).status_code == 200
    with pytest.raises(TypeError):
        feed_links(request, demo)


def test_landing_page_advertises_its_feed(client, demo):
    html_text = client.get(demo.url).content.decode()
    for fmt, mime in (("rss", "rss+xml"), ("atom", "atom+xml"), ("json", "feed+json")):
        href = feed_url(DEMO_SLUG, fmt) + "?locale=fr"
        assert f'<link rel="alternate" type="application/{mime}"' in html_text
        assert f'href="{href}"' in html_text


def test_delegation_page_advertises_its_feed(client, demo):
    onu = DelegationPage.objects.get(slug="onu")
    html_text = client.get(onu.url).content.decode()
    for fmt in FORMATS:
        assert f'href="{delegation_url(onu.pk, fmt)}"' in html_text
    # A news item is not a feed: no discovery links.
    item = NewsPage.objects.get(slug="du-local-au-mondial")
    assert 'rel="alternate" type="application/rss+xml"' not in client.get(item.url).content.decode()


@pytest.mark.parametrize(
    "url", ["/api/mmm/delegations/999999/rss/", "/api/mmm/feeds/no-such-feed/atom/?locale=fr"]
)
def test_not_found_stays_a_json_404_under_the_sites_language_prefixes(demo, client, url):
    # The example site routes pages with i18n_patterns(prefix_default_language=True): Django's
    # LocaleMiddleware would turn a 404 into a redirect to /fr/<path> (an HTML page).
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["errors"][0]["parameter"]


def test_a_content_language_without_a_locale_yet_is_a_404(db, client):
    from wagtail.models import Locale

    Locale.objects.filter(language_code="en").delete()
    response = client.get("/api/mmm/feeds/any-feed/rss/?locale=en")
    assert response.status_code == 404
    assert response.json()["errors"][0]["parameter"] == "locale"
