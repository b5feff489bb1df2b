"""The HTTP side of syndication: parameters, errors, the three formats, caching.

One ``django.contrib.syndication`` Feed class renders every format; ``feed_type`` picks
RSS 2.0, Atom 1.0 or our JSON Feed 1.1 writer. Feeds are served from the same response
cache as the API, with the same conditional responses and cache tags (``cache.responses``).
"""

import functools
import html
import io

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Locale

from ..api.context import site_origin
from ..api.errors import ALLOWED_METHODS, NotFound, handle_errors, not_allowed
from ..api.params import LOCALE, parse, parse_id, parse_slug
from ..cache import dependency_tags
from ..cache.responses import cached
from ..locales import as_locale, default_language_code
from ..sites import find_site
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
    """The ``?locale=`` of a news feed (validated like the API's), default the language of the
    requesting site (``locales.default_language_code``, as the API's)."""
    code = parse(request.GET, [LOCALE])["locale"]
    if code is None:
        site = find_site(request)
        return as_locale(default_language_code(site), required=False) or Locale.get_default()
    locale = as_locale(code, required=False)
    if locale is None:
        # A content language configured in settings but never created as a Locale.
        raise NotFound("locale", _("No content in this language yet."))
    return locale


def _respond(request, make_source, fmt, tags_of):
    """The feed from the shared response cache when still fresh (see ``cache.responses``)."""

    def build():
        source = make_source()
        # From the requesting Site, never the raw Host header (see api.context.site_origin).
        source.self_url = site_origin(request) + request.get_full_path()
        generator = SourceFeed(FORMATS[fmt], source).render(request)
        out = io.BytesIO()
        generator.write(out, "utf-8")
        body = out.getvalue()
        # LocaleMiddleware would otherwise announce the interface language, not the feed's.
        return body, [("Content-Language", generator.feed["language"])], source

    return cached(request, build, FORMATS[fmt].content_type, tags_of)


def _safe_methods_only(view):
    """GET and HEAD; any other method a JSON 405 with ``Allow``. Exempt from CSRF: a feed
    changes nothing, so the CSRF middleware's HTML 403 must not stand before the 405."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ALLOWED_METHODS:
            return not_allowed(request)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


@_safe_methods_only
@handle_errors
def news_feed(request, slug, fmt):
    slug = parse_slug(slug, "slug")
    return _respond(
        request,
        lambda: news_feed_source(request, slug, _locale(request)),
        fmt,
        lambda source: dependency_tags.of_syndication(
            source.language, dependency_tags.feeds(source.language), site=find_site(request)
        ),
    )


@_safe_methods_only
@handle_errors
def delegation_feed(request, pk, fmt):
    pk = parse_id(pk, "id")
    parse(request.GET, [])  # no parameter: any is a 400 naming it
    return _respond(
        request,
        lambda: delegation_source(request, pk),
        fmt,
        lambda source: dependency_tags.of_syndication(
            source.language, dependency_tags.page(pk), site=find_site(request)
        ),
    )
