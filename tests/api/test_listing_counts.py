"""The ``count`` of a news listing is stored per listing and content version, never stale."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from mmm_wagtail import queries
from mmm_wagtail.models import NewsListing, NewsListingCount, NewsPage

from .conftest import get_json, make_news

ALL = queries.NewsFilters()


def _page(filters=ALL, offset=0, limit=20, language="fr"):
    with CaptureQueriesContext(connection) as captured:
        ids, total = queries.news_page(language, None, filters, offset, limit)
    return ids, total, len(captured)


def test_a_stored_count_is_read_in_the_page_query_and_follows_every_change(tree):
    _, eu, un = tree
    pages = [make_news(eu, date=datetime.date(2024, 1, day)) for day in range(1, 5)]
    assert _page()[1:] == (4, 4)  # counted, old counts dropped, stored
    assert _page()[1:] == (4, 1)  # read with the page
    assert _page(limit=1)[1:] == (4, 1)
    pages[0].unpublish()
    assert _page()[1:] == (3, 4)
    make_news(un)
    assert _page()[1:] == (4, 4)
    pages[1].move(un, pos="last-child")  # another delegation: same listing
    assert _page()[1:] == (4, 4)
    by_eu = queries.NewsFilters(delegation_keys=(str(eu.translation_key),))
    assert _page(by_eu)[1] == 2
    restriction = PageViewRestriction.objects.create(page=un, restriction_type="login")
    assert _page()[1:] == (2, 4)
    restriction.delete()
    NewsPage.objects.get(pk=pages[2].pk).delete()
    assert _page()[1:] == (3, 4)
    assert _page(by_eu)[1] == 1


def test_past_the_end_the_stored_count_is_used_too(tree):
    _, eu, _ = tree
    for day in range(1, 4):
        make_news(eu, date=datetime.date(2024, 1, day))
    assert _page(offset=10) == ([], 3, 5)  # the stored count (miss), then counted and stored
    assert _page(offset=10) == ([], 3, 2)  # the empty page, then the stored count
    assert _page()[1:] == (3, 1)


def test_a_scheduled_expiry_or_go_live_ends_a_stored_count(tree):
    _, eu, _ = tree
    soon = timezone.now() + datetime.timedelta(days=1)
    expiring = make_news(eu, expire_at=soon)
    make_news(eu)
    assert _page()[1] == 2
    stored = NewsListingCount.objects.get()
    assert stored.valid_until == soon  # the next scheduled change of any listed item
    # Two days later: every stored time moved two days back is the same as the clock two days on.
    past = datetime.timedelta(days=-2)
    Page.objects.filter(pk=expiring.pk).update(expire_at=soon + past)
    NewsListing.objects.filter(pk=expiring.pk).update(expire_at=soon + past)
    NewsListingCount.objects.update(valid_until=stored.valid_until + past)
    assert _page()[1:] == (1, 4)
    # A live item scheduled for later: not counted until its time, then counted.
    later = make_news(eu)
    Page.objects.filter(pk=later.pk).update(go_live_at=soon)
    NewsListing.objects.filter(pk=later.pk).update(go_live_at=soon)
    NewsListingCount.objects.all().delete()
    assert _page()[1] == 1
    assert NewsListingCount.objects.get().valid_until == soon
    Page.objects.filter(pk=later.pk).update(go_live_at=soon + past)
    NewsListing.objects.filter(pk=later.pk).update(go_live_at=soon + past)
    NewsListingCount.objects.update(valid_until=soon + past)
    assert _page()[1:] == (2, 4)


def test_each_reader_and_filter_has_its_own_count(tree, locale_en, settings):
    _, eu, _ = tree
    page = make_news(eu, tags=["a"])
    make_news(eu)
    assert _page()[1] == 2
    tagged = queries.NewsFilters(tag_ids=tuple(page.tags.values_list("pk", flat=True)))
    assert _page(tagged)[1] == 1
    assert _page(language="en")[1] == 0
    settings.MMM_WAGTAIL = {"UNTRANSLATED": "fallback"}
    assert _page(language="en")[1] == 2
    assert NewsListingCount.objects.count() == 3  # an empty first page needs no count
    # A change every listing depends on: the next count drops the lengths nobody can use.
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert _page()[1] == 1
    assert NewsListingCount.objects.count() == 1


def test_the_api_count_after_publish_and_unpublish(tree, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    _, eu, _ = tree
    page = make_news(eu)
    assert get_json(client, "news/")["count"] == 1
    make_news(eu)
    assert get_json(client, "news/")["count"] == 2
    page.unpublish()
    assert get_json(client, "news/")["count"] == 1
    assert get_json(client, "news/?offset=5")["count"] == 1


def test_a_listing_empty_by_construction_is_counted_without_a_query(tree, locale_en):
    # A language the site has no root for: the listing is ``pk__in=[]`` and Django runs nothing.
    _, eu, _ = tree
    make_news(eu)
    roots = {"fr": "/"}
    with CaptureQueriesContext(connection) as captured:
        assert queries.news_page("en", roots, ALL, 5, 20) == ([], 0)
    assert len(captured) <= 1
