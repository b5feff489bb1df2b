"""Issue #20, finding 6: a subtree is as visible as its parents.

A news item under a delegation (or a landing page) that is a draft, unpublished, expired,
scheduled for later or view-restricted is hidden on every face: the API's ``news/``, its
detail, ``pages/find``, search, the RSS, Atom and JSON feeds, its HTML page, and the news of
the other delegation it is also listed under (that delegation's API detail, feed and HTML
page). Published again, the parent brings it back everywhere. The read model follows
(``listing.rows.drift`` stays empty throughout).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from mmm_wagtail.listing.rows import drift
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage
from tests import db_snapshot

from . import feed_helpers as helpers

API = "/api/mmm/"
WORD = "Zanzibarite"
FEEDS = ["rss", "atom", "json"]


def _hide(page, state):
    """Put ``page`` (a published container) into ``state`` as an editor or the clock would."""
    if state == "draft":
        # Never published: its news were published under it (a tree imported, or copied).
        type(page).objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
        page.refresh_from_db()
        page.save()
    elif state == "unpublished":
        page.unpublish()
    elif state == "expired":
        # Past its expiry; Wagtail's publish_scheduled has not run yet.
        page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        page.save()
    elif state == "scheduled":
        page.go_live_at = timezone.now() + datetime.timedelta(days=1)
        page.save()
    elif state == "restricted":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def _republish(page):
    page = type(page).objects.get(pk=page.pk)
    PageViewRestriction.objects.filter(page=page).delete()
    page.go_live_at = page.expire_at = None
    page.save_revision().publish()


def _ids(value):
    """Every ``id`` in a JSON answer."""
    if isinstance(value, dict):
        return {value.get("id"), *(i for v in value.values() for i in _ids(v))}
    if isinstance(value, list):
        return {i for v in value for i in _ids(v)}
    return set()


def _faces(client, item, other, feed):
    """Where ``item`` shows, face by face (``other``: a delegation it is also listed under)."""
    listed = client.get(API + "news/?limit=100").json()
    searched = client.get(API + f"news/?search={WORD}").json()
    find = client.get(API + "pages/find/?path=" + item.url_path[len("/home") :])
    faces = {
        "news/": item.pk in _ids(listed["items"]),
        "detail": client.get(API + f"news/{item.pk}/").status_code == 200,
        "pages/find": find.status_code == 200,
        "search": item.pk in _ids(searched["items"]),
        "html": client.get(item.url).status_code == 200,
    }
    for fmt in FEEDS:
        body = client.get(reverse(f"mmm_wagtail_feed_{fmt}", kwargs={"slug": feed.slug})).content.decode()
        faces[fmt] = WORD in body
    detail = client.get(API + f"delegations/{other.pk}/")
    faces["delegation detail's news"] = detail.status_code == 200 and item.pk in _ids(detail.json())
    delegation_feed = client.get(reverse("mmm_wagtail_delegation_rss", kwargs={"pk": other.pk}))
    faces["delegation feed"] = delegation_feed.status_code == 200 and WORD in delegation_feed.content.decode()
    html = client.get(other.url)
    faces["delegation page"] = html.status_code == 200 and WORD in html.content.decode()
    return faces


def _build_setting():
    from wagtail.models import Locale, Site

    index = helpers.landing(Site.objects.get(is_default_site=True).root_page)
    first = helpers.delegation(index, "UE")
    second = helpers.delegation(index, "ONU")
    item = helpers.news(first, WORD, "2024-01-01", related=[second])
    feed = helpers.feed(Locale.objects.get(language_code="fr"), slug="tout")
    return index.pk, first.pk, second.pk, item.pk, feed.pk


@pytest.fixture(scope="session")
def _setting_rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(_build_setting)  # once per worker (tests/db_snapshot.py)


@pytest.fixture
def setting(db, _setting_rows, settings):
    """A landing page, two delegations, a news item of the first also listed under the
    second, and a feed of everything."""
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    _setting_rows.restore()
    index, first, second, item, feed = _setting_rows.value
    return (
        DelegationIndexPage.objects.get(pk=index),
        DelegationPage.objects.get(pk=first),
        DelegationPage.objects.get(pk=second),
        NewsPage.objects.get(pk=item),
        NewsFeed.objects.get(pk=feed),
    )


@pytest.mark.parametrize("state", ["draft", "unpublished", "expired", "scheduled", "restricted"])
@pytest.mark.parametrize("hidden", ["delegation", "landing"])
def test_news_under_a_hidden_parent_is_hidden_everywhere_until_it_is_republished(
    client, setting, state, hidden
):
    index, first, second, item, feed = setting
    everywhere = _faces(client, item, second, feed)
    assert everywhere == dict.fromkeys(everywhere, True)

    parent = first if hidden == "delegation" else index
    _hide(type(parent).objects.get(pk=parent.pk), state)
    assert drift() == []
    assert _faces(client, item, second, feed) == dict.fromkeys(everywhere, False), (hidden, state)

    _republish(parent)
    assert drift() == []
    assert _faces(client, item, second, feed) == everywhere, (hidden, state)


def test_a_delegation_past_its_scheduled_expiry_takes_its_news_with_it_on_time(client, setting):
    """The read model keeps the ancestors' times: the item goes at its parent's expiry
    without any write (``publish_scheduled`` not run)."""
    from mmm_wagtail import queries
    from mmm_wagtail.models import NewsListing

    index, first, second, item, feed = setting
    first = DelegationPage.objects.get(pk=first.pk)
    soon = timezone.now() + datetime.timedelta(hours=1)
    first.expire_at = soon
    first.save()
    assert NewsListing.objects.get(pk=item.pk).expire_at == soon
    assert queries.news_page("fr", None, queries.NewsFilters())[0] == [item.pk]
    # The landing page's own expiry is earlier: the earliest wins.
    index = DelegationIndexPage.objects.get(pk=index.pk)
    index.expire_at = soon - datetime.timedelta(minutes=30)
    index.save()
    assert NewsListing.objects.get(pk=item.pk).expire_at == index.expire_at
    NewsListing.objects.filter(pk=item.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
    assert queries.news_page("fr", None, queries.NewsFilters()) == ([], 0)


@pytest.mark.parametrize("depth", [3, 14, 40])
def test_an_offline_ancestor_hides_a_page_at_any_depth(home, depth):
    # readable_q looks every possible ancestor up by its path (no scan of the page table, which
    # made PostgreSQL JIT-compile every query applying the rule at 100,000 news): an offline
    # page anywhere above hides the page, however deep the tree.
    from wagtail.models import Page

    from mmm_wagtail.models.querysets import readable_q

    chain = [home]
    while chain[-1].depth < depth + 2:
        chain.append(chain[-1].add_child(instance=Page(title=f"level {len(chain)}", slug=f"l{len(chain)}")))
    leaf = chain[-1]

    def readable():
        return Page.objects.filter(readable_q(), pk=leaf.pk).exists()

    assert readable()
    hidden = next(page for page in chain if page.depth == depth)
    Page.objects.filter(pk=hidden.pk).update(live=False)
    assert not readable()
    past = timezone.now() - datetime.timedelta(minutes=1)
    Page.objects.filter(pk=hidden.pk).update(live=True, expire_at=past)
    assert not readable()
    Page.objects.filter(pk=hidden.pk).update(expire_at=None)
    assert readable()
