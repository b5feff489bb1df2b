"""The HTTP side of syndication: parameters, errors, the three formats, caching headers.

One ``django.contrib.syndication`` Feed class renders every format; ``feed_type`` picks
RSS 2.0, Atom 1.0 or our JSON Feed 1.1 writer. Conditional requests are answered by
Django's own ``get_conditional_response``, as ``ConditionalGetMiddleware`` does.
"""

import html

from django.contrib.syndication.views import Feed
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from .. import conf
from ..api.errors import NotFound, handle_errors
from ..api.params import LOCALE, parse
from .jsonfeed import JSONFeed
from .sources import delegation_source, news_feed_source

FORMATS = {"rss": Rss201rev2Feed, "atom": Atom1Feed, "json": JSONFeed}


class SourceFeed(Feed):
    """Renders a ``sources.Source`` in any format; one instance per request."""

    def __init__(self, feed_type, source):
        self.feed_type = feed_type
        self.source = source
        # Django reads ``language`` as a plain attribute, not per object.
        self.language = source.language

    def render(self, request):
        return self.get_feed(self.source, request)

    def title(self, source):
        return source.title

    def link(self, source):
        return source.link

    def description(self, source):
        return source.description

    def author_name(self, source):
        return source.author or None

    def feed_guid(self, source):
        return source.guid

    def feed_url(self, source):
        return source.self_url

    def items(self, source):
        return source.entries

    # Titles are plain text in all three formats: no double escaping.
    def item_title(self, entry):
        return entry.title

    # RSS <description> and Atom <summary type="html"> carry HTML; the teaser is plain text.
    def item_description(self, entry):
        return html.escape(entry.teaser, quote=False)

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        return entry.guid

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.date

    def item_updateddate(self, entry):
        # Also what Django's lastBuildDate (RSS) and <updated> (Atom) are made of.
        return entry.updated or entry.date

    def item_enclosures(self, entry):
        if entry.image is None:
            return []
        return [Enclosure(entry.image.url, str(entry.image.length), entry.image.mime_type)]

    def item_categories(self, entry):
        return entry.tags

    def item_extra_kwargs(self, entry):
        return {
            "content_text": entry.teaser,
            "language": entry.language or self.language,
            "image": entry.image.url if entry.image else None,
        }


def _locale(request):
    """The ``?locale=`` of a news feed (validated like the API's), default the default locale."""
    code = parse(request.GET, [LOCALE])["locale"]
    if code is None:
        return Locale.get_default()
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        # A content language configured in settings but never created as a Locale.
        raise NotFound("locale", _("No content in this language yet."))
    return locale


def _respond(request, source, fmt):
    source.self_url = request.build_absolute_uri()
    generator = SourceFeed(FORMATS[fmt], source).render(request)
    response = _feed_response(generator)
    return _with_caching(request, response)


def _feed_response(generator):
    response = HttpResponse(content_type=generator.content_type)
    # LocaleMiddleware would otherwise announce the interface language, not the feed's.
    response.headers["Content-Language"] = generator.feed["language"]
    generator.write(response, "utf-8")
    return response


def _with_caching(request, response):
    patch_cache_control(
        response,
        public=True,
        max_age=conf.get("CACHE_MAX_AGE"),
        s_maxage=conf.get("CACHE_S_MAXAGE"),
        stale_while_revalidate=conf.get("CACHE_STALE_WHILE_REVALIDATE"),
    )
    set_response_etag(response)
    last_modified = _first_seen(response.headers["ETag"])
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(
        request, etag=response.headers["ETag"], last_modified=last_modified, response=response
    )


def _first_seen(etag):
    """When this exact content was first served: an honest Last-Modified.

    The newest item's publication date would not do: unpublishing an item makes a feed
    change without any newer date, and a reader asking If-Modified-Since would keep the
    withdrawn item. The time a representation (its ETag) was first served only ever moves
    forward when the content changes. Without a cache we send no Last-Modified; ETag alone
    still gives 304s.
    """
    alias = conf.get("CACHE_ALIAS")
    if not alias:
        return None
    cache = caches[alias]
    key = f"mmm_wagtail:syndication:first-seen:{etag}"
    now = int(timezone.now().timestamp())
    cache.add(key, now, timeout=conf.get("CACHE_TIMEOUT"))
    return cache.get(key, now)


@require_safe
@handle_errors
def news_feed(request, slug, fmt):
    return _respond(request, news_feed_source(request, slug, _locale(request)), fmt)


@require_safe
@handle_errors
def delegation_feed(request, pk, fmt):
    parse(request.GET, [])  # no parameter: any is a 400 naming it
    return _respond(request, delegation_source(request, pk), fmt)
