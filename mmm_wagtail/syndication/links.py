"""Absolute addresses of the three feeds of a NewsFeed snippet or a delegation page."""

from urllib.parse import urlencode

from django.urls import reverse

from ..models import DelegationPage, NewsFeed

FORMATS = ("rss", "atom", "json")


def feed_links(request, obj):
    """``{"rss": url, "atom": url, "json": url}`` for a NewsFeed or a DelegationPage.

    A NewsFeed's links name its locale, so they stay right whatever the site's default
    language is. Select ``locale`` with the feed to spare a query.
    """
    if isinstance(obj, NewsFeed):
        prefix, kwargs = "mmm_wagtail_feed_", {"slug": obj.slug}
        query = "?" + urlencode({"locale": obj.locale.language_code})
    elif isinstance(obj, DelegationPage):
        prefix, kwargs, query = "mmm_wagtail_delegation_", {"pk": obj.pk}, ""
    else:
        raise TypeError(f"No feeds for {type(obj).__name__} objects.")
    return {fmt: request.build_absolute_uri(reverse(prefix + fmt, kwargs=kwargs) + query) for fmt in FORMATS}
