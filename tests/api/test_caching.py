"""ETag, Last-Modified, 304s, Cache-Control, and invalidation of the shared cache."""

from django.utils.http import http_date

from .conftest import make_news

API = "/api/mmm/"


def test_every_200_has_etag_last_modified_and_cache_control(demo, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_MAX_AGE": 5, "CACHE_S_MAXAGE": 600, "CACHE_STALE_WHILE_REVALIDATE": 30}
    for path in ("", "news/", "delegations/", "feeds/", f"pages/{demo.pk}/"):
        response = client.get(API + path)
        assert response.status_code == 200
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"]
        assert response["Cache-Control"] == "public, max-age=5, s-maxage=600, stale-while-revalidate=30"


def test_errors_are_not_cacheable(demo, client):
    response = client.get(API + "news/?limit=0")
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response


def test_if_none_match_gives_304(demo, client):
    first = client.get(API + "news/")
    etag = first["ETag"]
    again = client.get(API + "news/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag and not again.content
    assert client.get(API + "news/", HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get(API + "news/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_if_modified_since_gives_304(demo, client):
    first = client.get(API + "delegations/")
    assert client.get(API + "delegations/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(API + "delegations/", HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_304s_without_the_shared_cache(demo, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    first = client.get(API + "news/")
    assert client.get(API + "news/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(API + "news/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_publish_and_unpublish_invalidate_cached_listings(tree, client):
    _, eu, _ = tree
    make_news(eu, title="First")
    before = client.get(API + "news/")
    assert [i["title"] for i in before.json()["items"]] == ["First"]
    second = make_news(eu, title="Second")
    after = client.get(API + "news/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert sorted(i["title"] for i in after.json()["items"]) == ["First", "Second"]
    second.unpublish()
    assert [i["title"] for i in client.get(API + "news/").json()["items"]] == ["First"]
    detail = client.get(API + f"news/{second.pk}/")
    assert detail.status_code == 404


def test_edits_and_moves_invalidate_cached_details(tree, client):
    _, eu, un = tree
    page = make_news(eu, title="Old title")
    assert client.get(API + f"news/{page.pk}/").json()["title"] == "Old title"
    page.title = "New title"
    page.save_revision().publish()
    assert client.get(API + f"news/{page.pk}/").json()["title"] == "New title"
    page.move(un, pos="last-child")
    assert client.get(API + f"news/{page.pk}/").json()["delegations"][0]["acronym"] == "UN"
    page.delete()
    assert client.get(API + "news/").json()["count"] == 0


def test_feed_snippet_save_invalidates(demo, client):
    from mmm_wagtail.models import NewsFeed

    assert len(client.get(API + "feeds/actualite-des-delegations/").json()["items"]) == 6
    feed = NewsFeed.objects.get(slug="actualite-des-delegations")
    feed.item_count = 2
    feed.save()
    assert len(client.get(API + "feeds/actualite-des-delegations/").json()["items"]) == 2
