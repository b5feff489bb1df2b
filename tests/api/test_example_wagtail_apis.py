"""The example site's Wagtail API v2 follows the package's expiry rule (#20 item 7)."""

import datetime

from django.core.cache import cache
from django.utils import timezone

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
