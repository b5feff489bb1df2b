"""``meta.feeds``: absolute links to the RSS, Atom and JSON feeds of a NewsFeed or a delegation.

The syndication URLs (``mmm_wagtail.syndication.urls``) are named
``mmm_wagtail_feed_{rss,atom,json}`` (kwarg ``slug``, plus ``?locale=``) and
``mmm_wagtail_delegation_{rss,atom,json}`` (kwarg ``pk``). A site that does not include
them gets ``feeds: null`` rather than an error.
"""

from django.urls import NoReverseMatch, reverse

FORMATS = ("rss", "atom", "json")


def syndication_links(kind, ctx, **kwargs):
    """{"rss", "atom", "json"} absolute URLs for ``kind`` "feed" (slug=) or "delegation" (pk=); or None."""
    try:
        links = {fmt: reverse(f"mmm_wagtail_{kind}_{fmt}", kwargs=kwargs) for fmt in FORMATS}
    except NoReverseMatch:
        return None
    suffix = f"?locale={ctx.language}" if kind == "feed" else ""
    return {fmt: ctx.request.build_absolute_uri(url) + suffix for fmt, url in links.items()}
