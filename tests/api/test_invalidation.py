"""Precise invalidation, cache tags and CDN purge (by tag and by URL, for both mounts)."""

import pytest
from django.db import transaction
from taggit.models import Tag

from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available
from mmm_wagtail.cache.versions import bump
from mmm_wagtail.models import NewsFeed, NewsPage, TagTranslation

from .conftest import make_news

API = "/api/mmm/"
V3 = "/api/v3/mmm/"
# Our router is also mounted inside Wagtail's API v3, which Wagtail 8 brings (not 7.4).
MOUNTS = (API, V3) if wagtail_v3_available() else (API,)
PURGED = {"tags": [], "urls": []}


class RecordingTagBackend:
    """Purges by tag, like a Cloudflare zone (``CloudflareTagBackend``) or a surrogate-key CDN."""

    def __init__(self, params):
        pass

    def purge_tags(self, tags):
        assert len(tags) <= 30, "tags go in batches"
        PURGED["tags"].extend(tags)


class RecordingUrlBackend:
    """Purges by URL only, like Wagtail's HTTP (Varnish) backend."""

    def __init__(self, params):
        pass

    def invalidates_hostname(self, hostname):
        return True

    def purge_batch(self, urls):
        PURGED["urls"].extend(urls)


@pytest.fixture
def purged(settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {
        "tags": {"BACKEND": f"{__name__}.RecordingTagBackend"},
        "urls": {"BACKEND": f"{__name__}.RecordingUrlBackend"},
    }
    PURGED["tags"].clear()
    PURGED["urls"].clear()

    class Recorder:
        def after(self, change):
            """Run ``change`` and the commit's callbacks; what was purged."""
            PURGED["tags"].clear()
            PURGED["urls"].clear()
            with django_capture_on_commit_callbacks(execute=True):
                change()
            return set(PURGED["tags"]), set(PURGED["urls"])

    return Recorder()


def cache_tags(response):
    return set(response["Cache-Tag"].split(", "))


def test_responses_carry_their_tags_on_both_mounts(tree, client):
    _, eu, _ = tree
    page = make_news(eu, title="Tagged", tags=["climate"])
    for base in MOUNTS:
        detail = client.get(base + f"news/{page.pk}/")
        assert {"mmm", f"mmm-page-{page.pk}", f"mmm-page-{eu.pk}", "mmm-tags"} <= cache_tags(detail)
        assert "mmm-list-fr" not in cache_tags(detail)  # a detail does not list anything
        listing = client.get(base + "news/")
        assert {"mmm", f"mmm-page-{page.pk}", "mmm-list-fr"} <= cache_tags(listing)
    rss = client.get(f"/api/mmm/delegations/{eu.pk}/rss/")
    assert {"mmm", "mmm-list-fr", f"mmm-page-{eu.pk}"} <= cache_tags(rss)


def test_the_header_name_and_separator_follow_the_setting(tree, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_TAG_HEADER": "Surrogate-Key"}
    response = client.get(API + "news/")
    assert "Cache-Tag" not in response
    assert set(response["Surrogate-Key"].split(" ")) >= {"mmm", "mmm-list-fr"}
    settings.MMM_WAGTAIL = {"CACHE_TAG_HEADER": None}
    assert "Surrogate-Key" not in client.get(API + "news/")


def test_a_change_drops_only_the_responses_that_depend_on_it(tree, client, locale_en):
    index, eu, un = tree
    first = make_news(eu, title="First")
    other = make_news(un, title="Other")
    # English news and delegations of their own: an empty listing page is never stored
    # (test_cache_bound.py), so it could not show what a change leaves cached.
    for page in (index.get_parent(), index, un, other):
        page.copy_for_translation(locale_en).save_revision().publish()
    paths = ["news/", f"news/{first.pk}/", f"news/{other.pk}/", "news/?locale=en", "delegations/?locale=en"]
    for path in paths:
        client.get(API + path)
    assert all(client.get(API + path).mmm_cache_hit for path in paths)
    first.title = "First, renamed"
    first.save_revision().publish()
    hits = {path: client.get(API + path).mmm_cache_hit for path in paths}
    assert hits == {
        "news/": False,
        f"news/{first.pk}/": False,
        f"news/{other.pk}/": True,
        "news/?locale=en": True,
        "delegations/?locale=en": True,
    }
    assert client.get(API + f"news/{first.pk}/").json()["title"] == "First, renamed"


def test_a_hit_is_one_query_and_fresh_after_a_bump(tree, client, django_assert_num_queries):
    _, eu, _ = tree
    page = make_news(eu, title="Counted")
    client.get(API + "news/")
    with django_assert_num_queries(1):  # "has any tag of this entry changed since?"
        assert client.get(API + "news/").mmm_cache_hit
    bump([f"mmm-page-{page.pk}"])  # what another process's change leaves in the database
    assert not client.get(API + "news/").mmm_cache_hit


def test_a_publish_inside_a_transaction_is_never_cached_as_new(tree, client):
    _, eu, _ = tree
    page = make_news(eu, title="Before")
    client.get(API + "news/")
    with transaction.atomic():
        page.title = "After"
        page.save_revision().publish()
        # Inside the transaction this process already sees the change.
        assert client.get(API + "news/").json()["items"][0]["title"] == "After"
    assert client.get(API + "news/").json()["items"][0]["title"] == "After"


def test_a_feeds_delegations_written_after_its_row_invalidate(demo, client):
    feed = NewsFeed.objects.get(slug="actualite-des-delegations")
    before = client.get(API + "feeds/actualite-des-delegations/").json()["items"]
    from mmm_wagtail.models import DelegationPage

    unesco = DelegationPage.objects.get(slug="unesco")
    feed.delegations = [unesco]
    feed.save()
    after = client.get(API + "feeds/actualite-des-delegations/").json()["items"]
    assert after != before
    assert all("UNESCO" in {d["acronym"] for d in item["delegations"]} for item in after)


def test_publish_purges_the_page_and_its_languages_listings(tree, purged):
    _, eu, _ = tree
    page = make_news(eu, publish=False, title="Draft")
    tags, urls = purged.after(lambda: page.save_revision().publish())
    assert {f"mmm-page-{page.pk}", "mmm-list-fr"} <= tags
    assert "mmm" not in tags and "mmm-list-en" not in tags
    for base in ("http://localhost" + mount for mount in MOUNTS):
        assert {base + f"news/{page.pk}/", base + "news/", base + "news/?locale=fr"} <= urls
        # A frontend's routes (issue #23) follow every page: sitemap/ lists it.
        assert {base + "sitemap/", base + "site/", base + "redirects/"} <= urls


def test_a_page_of_another_type_purges_only_the_frontends_routes(home, purged):
    from wagtail.models import Page

    blog = home.add_child(instance=Page(title="Blog", slug="blog", live=False))
    tags, urls = purged.after(lambda: blog.save_revision().publish())
    assert tags == {"mmm-sitemap"}
    assert {"http://localhost" + mount + "sitemap/" for mount in MOUNTS} <= urls
    assert not any(f"/{blog.pk}/" in url for url in urls)


@pytest.mark.parametrize(
    "change, expected",
    [
        ("feed", {"mmm-feeds-fr"}),
        ("tag", {"mmm-tags"}),
        ("tag-translation", {"mmm-tags"}),
        ("move", {"mmm"}),
        ("delete", {"mmm"}),
    ],
)
def test_each_kind_of_change_purges_its_tags(tree, purged, locale_fr, change, expected):
    index, eu, un = tree
    page = make_news(eu, tags=["climate"])
    feed = NewsFeed.objects.create(title="F", slug="f", locale=locale_fr)
    actions = {
        "feed": lambda: NewsFeed.objects.filter(pk=feed.pk).first().save(),
        "tag": lambda: Tag.objects.get(name="climate").save(),
        "tag-translation": lambda: TagTranslation.objects.create(
            tag=Tag.objects.get(name="climate"), locale=locale_fr, name="climat"
        ),
        "move": lambda: NewsPage.objects.get(pk=page.pk).move(un, pos="last-child"),
        "delete": lambda: NewsPage.objects.get(pk=page.pk).delete(),
    }
    tags, urls = purged.after(actions[change])
    assert expected <= tags
    if change == "feed":
        assert f"mmm-feed-{feed.pk}" in tags and "mmm" not in tags
    assert {"http://localhost" + mount + "news/" for mount in MOUNTS} <= urls


def test_nothing_is_purged_without_a_frontend_cache(tree, settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = None
    _, eu, _ = tree
    PURGED["tags"].clear()
    PURGED["urls"].clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_news(eu)
    assert PURGED["tags"] == [] and PURGED["urls"] == []
