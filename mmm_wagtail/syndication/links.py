"""Absolute addresses of the three feeds (RSS, Atom, JSON Feed) of a news feed or a delegation."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from ..api.context import site_origin
from ..models import DelegationPage, NewsFeed

FORMATS = ("rss", "atom", "json")


def syndication_links(request, kind, *, locale=None, **kwargs):
    """``{"rss", "atom", "json"}`` absolute URLs for ``kind`` "feed" (``slug=``, ``locale=``)
    or "delegation" (``pk=``); None when the site does not route mmm_wagtail's syndication
    URLs (it included only the API)."""
    try:
        paths = {fmt: reverse(f"mmm_wagtail_{kind}_{fmt}", kwargs=kwargs) for fmt in FORMATS}
    except NoReverseMatch:
        return None
    # A news feed's links name its locale, so they stay right whatever the default language.
    query = "?" + urlencode({"locale": locale}) if locale else ""
    # From the requesting Site, never the raw Host header (see api.context.site_origin).
    origin = site_origin(request)
    if origin is None:
        return None
    return {fmt: origin + path + query for fmt, path in paths.items()}


def feed_links(request, obj):
    """:func:`syndication_links` of a NewsFeed (select ``locale`` with it to spare a query)
    or a DelegationPage."""
    if isinstance(obj, NewsFeed):
        return syndication_links(request, "feed", slug=obj.slug, locale=obj.locale.language_code)
    if isinstance(obj, DelegationPage):
        return syndication_links(request, "delegation", pk=obj.pk)
    raise TypeError(f"No feeds for {type(obj).__name__} objects.")
