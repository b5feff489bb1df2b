"""The example site's Wagtail APIs follow the package's expiry rule (#20 item 7): v2 filters its
pages with it, v3 leaves out Wagtail's ``pages/``, which cannot (``mysite/api_v3.py``)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available
from mmm_wagtail.models import NewsListing, NewsPage

from .conftest import make_news


def test_wagtail_api_v2_hides_an_expired_news_item_like_ours(tree, client):
    _, eu, _ = tree
    kept = make_news(eu, title="Kept")
    expired = make_news(eu, title="Expired", expire_at=timezone.now() + datetime.timedelta(days=1))
    # Time passes: its expiry a minute ago (in the page and in its listing row, as when the clock
    # reaches it); Wagtail leaves it live until publish_scheduled runs.
    past = timezone.now() - datetime.timedelta(minutes=1)
    NewsPage.objects.filter(pk=expired.pk).update(expire_at=past)
    NewsListing.objects.filter(pk=expired.pk).update(expire_at=past)
    cache.clear()
    ours = [item["id"] for item in client.get("/api/mmm/news/").json()["items"]]
    listing = client.get("/api/v2/pages/?type=mmm_wagtail.NewsPage").json()["items"]
    assert ours == [kept.pk] and [item["id"] for item in listing] == [kept.pk]
    # A 404 (which the example site's LocaleMiddleware turns into a redirect to /fr/…), no page.
    assert client.get(f"/api/v2/pages/{expired.pk}/").status_code in (302, 404)
    assert client.get(f"/api/v2/pages/{kept.pk}/").status_code == 200


def _expire(page):
    # Time passes: its expiry a minute ago (in the page and in its listing row, as when the clock
    # reaches it); Wagtail leaves it live until publish_scheduled runs.
    past = timezone.now() - datetime.timedelta(minutes=1)
    NewsPage.objects.filter(pk=page.pk).update(expire_at=past)
    NewsListing.objects.filter(pk=page.pk).update(expire_at=past)
    cache.clear()


@pytest.mark.skipif(not wagtail_v3_available(), reason="Wagtail API v3 is new in Wagtail 8")
def test_wagtail_api_v3_serves_no_expired_news(tree, client):
    _, eu, _ = tree
    kept = make_news(eu, title="Kept")
    expired = make_news(eu, title="Expired", expire_at=timezone.now() + datetime.timedelta(days=1))
    _expire(expired)
    # Wagtail's pages/ (which lists it: live is still set) is not mounted in the example site.
    for path in ("pages/?type=mmm_wagtail.NewsPage", f"pages/{expired.pk}/", f"pages/find/?id={expired.pk}"):
        # A 404, which the example site's LocaleMiddleware turns into a redirect to /fr/…
        response = client.get("/api/v3/" + path, follow=True)
        assert response.status_code == 404 and b"Expired" not in response.content
    document = client.get("/api/v3/openapi.json").json()
    assert not [path for path in document["paths"] if path.startswith("/api/v3/pages/")]
    # Ours inside v3 hides it; the rest of Wagtail's v3 stays (token-only routers answer 401).
    assert [item["id"] for item in client.get("/api/v3/mmm/news/").json()["items"]] == [kept.pk]
    assert client.get(f"/api/v3/mmm/news/{expired.pk}/").status_code == 404
    assert client.get(f"/api/v3/mmm/pages/{expired.pk}/").status_code == 404
    assert client.get(f"/api/v3/mmm/pages/{kept.pk}/").status_code == 200
    assert "/api/v3/sites/" in document["paths"] and client.get("/api/v3/sites/").status_code == 401
