"""Keyset cursors (``news/``, ``sitemap/``, ``removed/``), ``changed_since`` and ``removed/``."""

import datetime

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from mmm_wagtail.api import cursors
from mmm_wagtail.basepage import Page
from mmm_wagtail.listing import rows
from mmm_wagtail.models import NewsPage, NewsRemoval
from tests import db_snapshot

from .conftest import API, get_json, make_news, site_with_a_delegation

ORIGIN = "http://localhost" + API


def _follow(client, path, link="next"):
    """Every item of a listing, page by page through ``link``; the pages' responses."""
    items, pages = [], []
    while path:
        page = get_json(client, path)
        pages.append(page)
        items += page["items"]
        path = page[link] and page[link].removeprefix(ORIGIN)
    return items, pages


def _ids(items, key="id"):
    return [item[key] for item in items]


@pytest.fixture(scope="session")
def _many_rows(_tree_rows, django_db_blocker):
    def build():
        _, eu, un = (Page.objects.get(pk=pk).specific for pk in _tree_rows.value)
        pages = []
        for number in range(9):
            parent = eu if number % 2 else un
            day = datetime.date(2024, 1, 1 + number // 3)
            pages.append(make_news(parent, date=day, title=f"{'CBA'[number % 3]} {number}"))
        return [page.pk for page in pages]

    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(build, base=_tree_rows)  # once per worker


@pytest.fixture
def many(tree, _many_rows):
    """Nine news, dates with ties (three a day) and titles out of date order."""
    _many_rows.restore()
    for page in tree:
        page.refresh_from_db()  # their children: news added under them go after these
    return [NewsPage.objects.get(pk=pk) for pk in _many_rows.value]


@pytest.mark.parametrize("order", ["-date", "date", "title", "-title"])
def test_following_next_gives_the_offset_listing_in_every_order(many, client, order):
    everything = get_json(client, f"news/?order={order}&limit=100&offset=0")["items"]
    items, pages = _follow(client, f"news/?order={order}&limit=2")
    assert _ids(items) == _ids(everything) and len(items) == 9
    assert [len(page["items"]) for page in pages] == [2, 2, 2, 2, 1]
    assert all(page["count"] == 9 for page in pages)
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    assert pages[1]["next"].startswith(ORIGIN + "news/?cursor=") and "offset" not in pages[1]["next"]
    # And back from the last page, through previous, to the first one.
    back, _ = _follow(client, pages[-1]["previous"].removeprefix(ORIGIN), "previous")
    assert _ids(back) == [pk for page in pages[-2::-1] for pk in _ids(page["items"])]


def test_fallback_rows_page_once_each(tree, client, settings):
    settings.MMM_WAGTAIL = {"UNTRANSLATED": "fallback"}
    _, eu, _ = tree
    for day in range(1, 6):
        make_news(eu, date=datetime.date(2024, 2, day))
    everything = get_json(client, "news/?locale=en&limit=100&offset=0")["items"]
    items, _ = _follow(client, "news/?locale=en&limit=2")
    assert _ids(items) == _ids(everything) and len(items) == 5


def _built(client, path):
    """The response to ``path`` built afresh (the response cache emptied) and its queries."""
    from django.core.cache import cache

    from mmm_wagtail.cache import versions

    versions.forget_schedule()
    cache.clear()
    client.get(API + "site/")  # what a process reads once after a change (sites, schedule)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        page = get_json(client, path)
    return page, captured.captured_queries


def test_a_cursor_page_costs_the_first_pages_queries(many, client):
    get_json(client, "news/?limit=2")  # counts and stores the listing's length
    first, at_start = _built(client, "news/?limit=2")
    deep = get_json(client, "news/?limit=2&offset=6")  # to reach a deep position
    cursor = cursors.mint("news", _query("limit=2"), (deep["items"][0]["date"], deep["items"][0]["id"]))
    page, deeper = _built(client, f"news/?limit=2&cursor={cursor}")
    assert len(deeper) == len(at_start) and page["count"] == first["count"] == 9
    assert _ids(page["items"]) == _ids(get_json(client, "news/?limit=2&offset=7")["items"])
    # The page query bounds the read by the position (a range of the date index), no OFFSET.
    listing = [query["sql"] for query in deeper if 'FROM "mmm_wagtail_newslisting"' in query["sql"]]
    assert len(listing) == 1 and "OFFSET" not in listing[0].upper() and '"date" <=' in listing[0]


def _query(text):
    from django.http import QueryDict

    return QueryDict(text)


def test_news_published_between_pages_are_neither_skipped_nor_repeated(many, tree, client):
    _, eu, _ = tree
    first = get_json(client, "news/?limit=4")
    newest = make_news(eu, date=datetime.date(2030, 1, 1))  # above the position: not on later pages
    oldest = make_news(eu, date=datetime.date(2000, 1, 1))  # below it: on a later page
    rest, _ = _follow(client, first["next"].removeprefix(ORIGIN))
    seen = _ids(first["items"]) + _ids(rest)
    assert len(seen) == len(set(seen)) == 10
    assert oldest.pk in seen and newest.pk not in seen
    assert set(seen) | {newest.pk} == {page.pk for page in NewsPage.objects.live()}


def _bad(client, path, parameter):
    data = get_json(client, path, status=400)
    assert [error["parameter"] for error in data["errors"]] == [parameter], data
    return data


def test_bad_cursors_are_400s_naming_cursor(many, client):
    good = get_json(client, "news/?limit=2")["next"].removeprefix(ORIGIN + "news/?")
    token = _query(good)["cursor"]
    _bad(client, "news/?cursor=garbage", "cursor")
    _bad(client, "news/?cursor=", "cursor")
    _bad(client, "news/?cursor=a%3Ab", "cursor")  # outside the alphabet
    _bad(client, "news/?cursor=" + "a" * 3001, "cursor")
    payload, signature = token.split(".")
    _bad(client, f"news/?cursor={payload}.{signature[::-1]}", "cursor")  # tampered signature
    forged = signing.Signer(salt=cursors.SALT, key="not the secret", sep=".").sign_object(
        {"b": "x", "p": ["2024-01-01", 1], "r": 0}
    )
    _bad(client, f"news/?cursor={forged}", "cursor")
    # Minted for another order, other filters, another locale or another endpoint.
    _bad(client, f"news/?cursor={token}&order=title", "cursor")
    _bad(client, f"news/?cursor={token}&date_from=2024-01-01", "cursor")
    _bad(client, f"news/?cursor={token}&locale=en", "cursor")
    _bad(client, f"sitemap/?cursor={token}", "cursor")
    # Signed by this site, of the right listing, but not a position this version reads.
    odd_positions = (["not a date", 1], ["2024-01-01", "1"], ["2024-01-01"], [None, 1], ["2024-01-01", True])
    for position in odd_positions:
        odd = cursors._signer().sign_object(
            {"b": cursors._binding("news", _query("")), "p": position, "r": 0}
        )
        _bad(client, f"news/?cursor={odd}", "cursor")
    _bad(client, f"news/?cursor={token}&offset=2", "offset")
    _bad(client, f"news/?cursor={token}&cursor={token}", "cursor")
    # Another limit keeps the same position.
    assert get_json(client, f"news/?cursor={token}&limit=5")["items"]


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2024-01-01",
        "2024-01-01T10:00:00",  # no offset: which instant?
        "2024-01-01T10:00Z",
        "2024-13-01T10:00:00Z",
        "2024-01-01T25:00:00Z",
        "2024-01-01T10:00:00Z\n",
    ],
)
def test_bad_changed_since_is_a_400_naming_it(home, client, value):
    from urllib.parse import quote

    _bad(client, f"news/?changed_since={quote(value)}", "changed_since")
    _bad(client, f"removed/?changed_since={quote(value)}", "changed_since")


def test_changed_since_at_the_ends_of_the_calendar(many, client):
    # Valid moments whose UTC time is outside the calendar: before, or after, everything.
    assert get_json(client, "news/?changed_since=0001-01-01T00:00:00%2B14:00")["count"] == 9
    assert get_json(client, "news/?changed_since=9999-12-31T23:59:59-14:00")["count"] == 0
    assert get_json(client, "removed/?changed_since=9999-12-31T23:59:59-14:00")["count"] == 0


def test_changed_since_lists_what_was_published_since(many, client):
    later = timezone.now() + datetime.timedelta(seconds=1)
    stamp = later.isoformat().replace("+00:00", "Z")
    assert get_json(client, f"news/?changed_since={stamp}")["count"] == 0
    item = NewsPage.objects.get(pk=many[3].pk)
    with _clock(later + datetime.timedelta(seconds=1)):
        item.save_revision().publish()
    page = get_json(client, f"news/?changed_since={stamp}")
    assert _ids(page["items"]) == [item.pk] and page["count"] == 1
    assert get_json(client, "news/?changed_since=2000-01-01T00:00:00%2B02:00")["count"] == 9


class _clock:
    """``timezone.now()`` at ``moment`` (Wagtail stamps ``last_published_at`` with it)."""

    def __init__(self, moment):
        self.moment = moment

    def __enter__(self):
        from unittest import mock

        self.patch = mock.patch("django.utils.timezone.now", return_value=self.moment)
        self.patch.start()

    def __exit__(self, *exc):
        self.patch.stop()


def test_changed_since_lists_news_listed_again_without_a_publish_of_their_own(tree, client):
    _, eu, un = tree
    stays, back = make_news(eu, title="Stays"), make_news(un, title="Comes back")
    restriction = PageViewRestriction.objects.create(page=un, restriction_type="login")
    assert _ids(get_json(client, "removed/")["items"], "page_id") == [back.pk]
    since = timezone.now().isoformat().replace("+00:00", "Z")
    restriction.delete()  # the delegation public again: its news is listed again, unpublished since
    assert NewsPage.objects.get(pk=back.pk).last_published_at < datetime.datetime.fromisoformat(since)
    assert _ids(get_json(client, f"news/?changed_since={since}")["items"]) == [back.pk]
    assert get_json(client, "removed/")["count"] == 0
    assert stays.pk in _ids(get_json(client, "news/")["items"])
    # A rebuild of the listing lists nothing anew.
    later = timezone.now().isoformat().replace("+00:00", "Z")
    rows.rebuild()
    assert get_json(client, f"news/?changed_since={later}")["count"] == 0


def test_removed_lists_news_that_left_the_listings(many, tree, client):
    _, eu, un = tree
    assert get_json(client, "removed/") == {"count": 0, "next": None, "previous": None, "items": []}
    unpublished, deleted = many[0], many[1]
    unpublished.unpublish()
    NewsPage.objects.get(pk=deleted.pk).delete()
    restricted = make_news(un, title="hidden later")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    draft = make_news(eu, publish=False)  # never listed: never removed
    removed = get_json(client, "removed/")
    assert _ids(removed["items"], "page_id") == [unpublished.pk, deleted.pk, restricted.pk]
    entry = removed["items"][0]
    assert entry["locale"] == "fr" and entry["translation_key"] == str(unpublished.translation_key)
    assert draft.pk not in _ids(removed["items"], "page_id")
    # Listed again: no longer removed; gone again: removed at its new time, last.
    NewsPage.objects.get(pk=unpublished.pk).save_revision().publish()
    assert _ids(get_json(client, "removed/")["items"], "page_id") == [deleted.pk, restricted.pk]
    NewsPage.objects.get(pk=unpublished.pk).unpublish()
    again = get_json(client, "removed/")["items"]
    assert _ids(again, "page_id") == [deleted.pk, restricted.pk, unpublished.pk]
    since = again[1]["removed_at"].replace("+00:00", "Z")
    assert _ids(get_json(client, f"removed/?changed_since={since}")["items"], "page_id") == [
        restricted.pk,
        unpublished.pk,
    ]
    assert get_json(client, "removed/?locale=en")["count"] == 0
    items, pages = _follow(client, "removed/?limit=1")
    assert _ids(items, "page_id") == _ids(again, "page_id") and len(pages) == 3
    _bad(client, "removed/?offset=1", "offset")
    _bad(client, "removed/?cursor=nope", "cursor")
    news_cursor = get_json(client, "news/?limit=1")["next"].removeprefix(ORIGIN + "news/?")
    _bad(client, f"removed/?{news_cursor.replace('limit=1', '')}", "cursor")


def test_removed_lists_the_requesting_sites_news_only(tree, client, locale_fr):
    _, eu, _ = tree
    other = site_with_a_delegation("other.example", "other-home", locale_fr)
    ours, theirs = make_news(eu, title="Ours"), make_news(other, title="Theirs")
    ours.unpublish()
    theirs.unpublish()
    # A removal recorded before removals kept their page's path (migration 0015), of a page
    # deleted since: every site of its language lists it, as before.
    NewsRemoval.objects.create(
        page_id=99999, language="fr", translation_key=ours.translation_key, removed_at=timezone.now()
    )
    assert _ids(get_json(client, "removed/")["items"], "page_id") == [ours.pk, 99999]
    assert _ids(get_json(client, "removed/", HTTP_HOST="other.example")["items"], "page_id") == [
        theirs.pk,
        99999,
    ]


def test_removed_of_a_fallback_listing_follows_the_sites_own_language(db, client, settings, locale_en):
    """On a site whose root is English (the project's LANGUAGE_CODE is French), French readers
    get English items by fallback, in ``news/`` and in ``removed/`` alike."""
    settings.MMM_WAGTAIL = {"UNTRANSLATED": "fallback"}
    delegation = site_with_a_delegation("en.example", "en-home", locale_en)
    page = make_news(delegation, title="English only")
    assert _ids(get_json(client, "news/?locale=fr", HTTP_HOST="en.example")["items"]) == [page.pk]
    page.unpublish()
    assert _ids(get_json(client, "removed/?locale=fr", HTTP_HOST="en.example")["items"], "page_id") == [
        page.pk
    ]


def test_a_subtree_hidden_removes_its_news(many, tree, client):
    _, _, un = tree
    PageViewRestriction.objects.create(page=un, restriction_type="login")
    gone = {page.pk for page in many if page.get_parent().pk == un.pk}
    assert set(NewsRemoval.objects.values_list("page_id", flat=True)) == gone
    assert set(_ids(get_json(client, "removed/")["items"], "page_id")) == gone


def test_cached_removed_and_changed_since_pages_follow_changes(many, client):
    stamp = "2000-01-01T00:00:00Z"
    removed = client.get(API + "removed/")
    since = client.get(API + f"news/?changed_since={stamp}&limit=100")
    assert removed.json()["count"] == 0 and since.json()["count"] == 9
    assert client.get(API + "removed/", HTTP_IF_NONE_MATCH=removed["ETag"]).status_code == 304
    many[0].unpublish()
    fresh = client.get(API + "removed/", HTTP_IF_NONE_MATCH=removed["ETag"])
    assert fresh.status_code == 200 and _ids(fresh.json()["items"], "page_id") == [many[0].pk]
    fresh_since = client.get(API + f"news/?changed_since={stamp}&limit=100")
    assert fresh_since.json()["count"] == 8 and many[0].pk not in _ids(fresh_since.json()["items"])
    NewsPage.objects.get(pk=many[0].pk).save_revision().publish()
    assert client.get(API + "removed/").json()["count"] == 0
    assert client.get(API + f"news/?changed_since={stamp}&limit=100").json()["count"] == 9


def test_the_openapi_document_types_cursors_changed_since_and_removed(home, client):
    document = client.get(API + "openapi.json").json()
    news = {param["name"]: param for param in document["paths"][API + "news/"]["get"]["parameters"]}
    assert news["cursor"]["schema"]["pattern"] == cursors.PATTERN
    assert news["changed_since"]["schema"]["format"] == "date-time"
    assert "slower" in news["offset"]["description"]
    sitemap = {param["name"] for param in document["paths"][API + "sitemap/"]["get"]["parameters"]}
    assert "cursor" in sitemap
    removed = document["paths"][API + "removed/"]["get"]
    names = {param["name"] for param in removed["parameters"]}
    assert names == {"locale", "changed_since", "limit", "cursor"}
    schema = removed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    entry = document["components"]["schemas"]["RemovedEntry"]["properties"]
    assert schema == "RemovedList" and set(entry) == {"page_id", "locale", "translation_key", "removed_at"}
