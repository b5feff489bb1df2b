"""Read-model drifts found by random runs of tests/test_listing_stateful.py, each as its minimal steps."""

from django.db import connection
from wagtail.models import PageViewRestriction

from mmm_wagtail.listing.rows import drift
from mmm_wagtail.models import NewsListing, NewsListingDelegation, NewsPage

from .conftest import make_news


def _rows_of(pk):
    return (
        NewsListing.objects.filter(pk=pk).exists()
        or NewsListingDelegation.objects.filter(news_id=pk).exists()
    )


def test_deleting_a_restricted_news_item_leaves_no_row(tree):
    # Found by a 500-step run on PostgreSQL (news/ listed [22, 20], the page tree [20]). Deleting a
    # page deletes its view restriction first; the restriction's post_delete refreshed the page,
    # which then was unrestricted and still there, and wrote a row after the deletion had collected
    # the (absent) rows: a row for a deleted page, and a foreign key violation at commit.
    _, eu, un = tree
    kept = make_news(eu)
    page = make_news(eu, tags=["a"], related=[un])
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert not _rows_of(page.pk)
    NewsPage.objects.get(pk=page.pk).delete()
    assert not _rows_of(page.pk)
    assert set(NewsListing.objects.values_list("pk", flat=True)) == {kept.pk}
    assert drift() == []
    connection.check_constraints()  # what the commit would check (deferred foreign keys)


def test_deleting_a_restricted_delegation_leaves_no_row_of_its_news(tree):
    _, eu, un = tree
    under = make_news(eu, related=[un])
    elsewhere = make_news(un)
    PageViewRestriction.objects.create(page=eu, restriction_type="login")
    eu.delete()
    assert not _rows_of(under.pk)
    assert set(NewsListing.objects.values_list("pk", flat=True)) == {elsewhere.pk}
    assert drift() == []
    connection.check_constraints()
