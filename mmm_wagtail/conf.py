"""The one place that reads the ``MMM_WAGTAIL`` settings dict.

Every module asks ``conf.get("KEY")``; defaults live here and nowhere else. The merged
dict is rebuilt when Django's ``setting_changed`` fires, so ``override_settings`` works
in tests.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULTS = {
    # Listings (API ``news/`` and friends)
    "API_DEFAULT_LIMIT": 20,
    "API_MAX_LIMIT": 100,
    # Display date per language code ("en-us", else its language "en"); "default" applies to
    # any other language. Django date format syntax: "d.m.y" renders 14.12.24 as on the current
    # site; English spells the month ("14 December 2024"), unambiguous for en-us and en-gb alike.
    "DATE_FORMATS": {"default": "d.m.y", "en": "j F Y"},
    # How many news a delegation's server-rendered page lists, and its RSS/Atom/JSON feed
    # carries, newest first.
    "DELEGATION_PAGE_NEWS": 20,
    "DELEGATION_FEED_ITEMS": 20,
    # Plain-text teaser length (characters) when a page has no explicit excerpt.
    "TEASER_LENGTH": 200,
    # Image renditions served with every image: name -> Wagtail filter spec.
    "RENDITIONS": {"thumbnail": "fill-400x300", "medium": "width-800", "large": "width-1600"},
    # The sizes any client may ask of an image through its signed URL template (each image's
    # ``sizes``; mmm_wagtail.api.image_sizes): "width-W" for each of WIDTHS, "fill-WxH"
    # (cropped to cover the focal point, H = round(W * b / a)) for each width and "a:b" of RATIOS,
    # each also with "|format-F" for each of FORMATS. Nothing else is rendered: at most
    # len(WIDTHS) * (1 + len(RATIOS)) * (1 + len(FORMATS)) renditions per image (64 here).
    "IMAGE_SIZES": {
        "WIDTHS": [320, 480, 640, 800, 1024, 1280, 1600, 1920],
        "RATIOS": ["1:1", "4:3", "16:9"],
        "FORMATS": ["webp"],
    },
    # HTTP caching of API and syndication responses.
    "CACHE_MAX_AGE": 0,
    "CACHE_S_MAXAGE": 300,
    "CACHE_STALE_WHILE_REVALIDATE": 60,
    # Django cache alias holding precomputed API responses; None disables it.
    "CACHE_ALIAS": "default",
    "CACHE_TIMEOUT": 3600,
    # Entries each process keeps a copy of, in front of a shared cache (Redis, Memcached), so
    # that a hit makes no network round trip; each copy is checked for freshness as the shared
    # entry is. 0 keeps none. Unused with Django's in-memory cache.
    "CACHE_LOCAL_ENTRIES": 256,
    # Compiled card statements kept per process (mmm_wagtail.statements), least recently
    # used evicted first.
    "MAX_STATEMENTS": 512,
    # Response header listing a response's dependency tags for a CDN: "Cache-Tag"
    # (Cloudflare, comma-separated), "Surrogate-Key" (Fastly) or "xkey" (Varnish),
    # space-separated; None sends none.
    "CACHE_TAG_HEADER": "Cache-Tag",
    # Outgoing webhooks (Standard Webhooks signatures), each a dict: "URL", "SECRET"
    # ("whsec_" + base64), optional "EVENTS" and "LOCALES" (lists; all when absent).
    "WEBHOOKS": [],
    # Attempts per delivery before giving up; the delay before attempt n+1 is
    # WEBHOOK_BACKOFF * 2 ** (n - 1) seconds; each attempt waits WEBHOOK_TIMEOUT seconds in all.
    "WEBHOOK_MAX_ATTEMPTS": 5,
    "WEBHOOK_BACKOFF": 30,
    "WEBHOOK_TIMEOUT": 10,
    # What listings do with pages not translated into the requested locale:
    # "hide" (default) or "fallback" to the default locale's page.
    "UNTRANSLATED": "hide",
    # The site's layout that the package's pages extend, and whether they add the package's small
    # stylesheet (mmm_wagtail/static/mmm_wagtail/mmm_wagtail.css). See docs/templates.md.
    "BASE_TEMPLATE": "base.html",
    "STYLESHEET": True,
    # Text search configuration per language code for news search on PostgreSQL, added to or
    # replacing the built-in ones (mmm_wagtail.textsearch.LANGUAGE_CONFIGS: "fr" -> "french"…);
    # unknown languages use "simple". Run rebuild_news_listing after changing it.
    "SEARCH_CONFIGS": {},
    # Preview in a headless frontend (mmm_wagtail.preview). Seconds a preview token lives.
    "PREVIEW_TOKEN_MAX_AGE": 600,
    # The frontend's preview route per site hostname, "default" for any other site, as in
    # wagtail-headless-preview: "{SITE_ROOT_URL}" stands for the site's root URL. Empty: only
    # the server-rendered preview. E.g. {"default": "{SITE_ROOT_URL}/frontend/"}.
    "PREVIEW_CLIENT_URLS": {},
    # Whether "Translate this page" publishes the new translation of a live page at once,
    # still in the source language (wagtail-localize's default), or leaves it a draft until a
    # translator publishes it (ours). Drives WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE.
    "PUBLISH_NEW_TRANSLATIONS": False,
}

# Keys earlier releases read, with what replaced them: a warning (mmm_wagtail.W004), not an
# unknown key's error, so an upgrade does not stop a site.
REMOVED = {
    "SITES_TIMEOUT": (
        "The Site answering each host is now checked at every request with the response "
        "cache's own freshness query: remove the key."
    ),
}

__all__ = ["DEFAULTS", "REMOVED", "get"]

_merged = None


def get(key):
    """The value of ``MMM_WAGTAIL[key]``, or its default (``DEFAULTS``)."""
    global _merged
    if _merged is None:
        user = getattr(settings, "MMM_WAGTAIL", {}) or {}
        # Not a dict: the defaults, and the system check mmm_wagtail.E001 names the mistake
        # (rather than a TypeError in whatever module reads a setting first).
        user = user if isinstance(user, dict) else {}
        _merged = {**DEFAULTS, **user}
    return _merged[key]


@receiver(setting_changed)
def _reload(setting, **kwargs):
    global _merged
    if setting == "MMM_WAGTAIL":
        _merged = None
