"""What each feed lists: a NewsFeed snippet's or a delegation's news, ready to syndicate.

Everything a feed format needs is computed here in a constant number of queries (tags
and their translations come in two queries, page URLs come from Wagtail's per-request cache of
site root paths), so the per-item methods of the Feed classes only read attributes.
"""

import datetime
import mimetypes
import uuid
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Locale

from .. import conf
from ..api.context import site_origin
from ..api.errors import NotFound
from ..locales import site_roots, under_roots
from ..models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage
from ..sites import find_site
from ..tag_names import news_tags
from ..teasers import news_teaser


@dataclass
class Entry:
    title: str
    url: str
    guid: str
    date: datetime.datetime
    teaser: str
    tags: list[str]
    # The item's own language: with the UNTRANSLATED fallback, a French item in an English feed.
    language: str = ""
    # When it was last published: a corrected item must look changed to feed readers.
    updated: datetime.datetime | None = None
    image: "Image | None" = None


@dataclass
class Image:
    url: str
    length: int
    mime_type: str
    alt: str


@dataclass
class Source:
    title: str
    description: str
    link: str
    language: str
    guid: str
    author: str
    entries: list[Entry] = field(default_factory=list)
    # The address the feed was requested at (its rel="self"), set by the view.
    self_url: str = ""


def news_feed_source(request, slug, locale):
    """The items of the NewsFeed ``slug`` of ``locale``; Http404 if there is none."""
    feed = NewsFeed.objects.select_related("locale").filter(slug=slug, locale=locale).first()
    if feed is None:
        raise NotFound("slug", _("No news feed with this slug in this language."))
    site = _site(request)
    landing = DelegationIndexPage.objects.filter(locale=locale, news_feed=feed).current().first()
    return Source(
        title=feed.title,
        # RSS requires a channel description; the title stands in for a missing intro.
        description=feed.intro or feed.title,
        link=_page_url(landing, request) if landing else _site_url(site, request),
        language=locale.language_code,
        guid=_urn(feed.translation_key, f"news-feed:{locale.language_code}"),
        author=_site_name(site),
        entries=_entries(request, feed.news(site_roots(site)), locale, feed.teaser_length),
    )


def delegation_source(request, pk):
    """The latest news of a live, public delegation (own and related); Http404 otherwise."""
    site = _site(request)
    roots = site_roots(site)
    # Only a delegation of the requesting site: another site's is no feed of this host.
    delegation = (
        DelegationPage.objects.select_related("locale").filter(under_roots(roots), pk=pk).current().first()
    )
    if delegation is None:
        raise NotFound("id", _("No published delegation with this id on this site."))
    locale = delegation.locale
    news = NewsPage.objects.of_delegations(
        locale, [delegation.translation_key], roots, limit=conf.get("DELEGATION_FEED_ITEMS")
    )
    return Source(
        title=delegation.news_heading or delegation.title,
        description=delegation.news_intro or delegation.summary,
        link=_page_url(delegation, request),
        language=locale.language_code,
        guid=_urn(delegation.translation_key, f"delegation-feed:{locale.language_code}"),
        author=_site_name(site),
        entries=_entries(request, news, locale, conf.get("TEASER_LENGTH")),
    )


def _site(request):
    # No site for this host (and no default site): nothing to list, rather than every site's.
    site = find_site(request)
    if site is None:
        raise NotFound(None, _("No site is configured for this host."))
    return site


def _entries(request, news, locale, teaser_length):
    news = list(news)
    tags_of = news_tags([page.pk for page in news], locale)
    # Setting each item's locale saves a query per item in URL routing; fallback items (from
    # the UNTRANSLATED setting) have another one, loaded once.
    locales = {locale.pk: locale}
    others = {page.locale_id for page in news} - set(locales)
    if others:
        locales.update(Locale.objects.in_bulk(others))
    images = _images(request, {page.image_id for page in news if page.image_id})
    entries = []
    for page in news:
        page.locale = locales[page.locale_id]
        entries.append(
            Entry(
                title=page.title,
                url=_page_url(page, request),
                guid=_urn(page.translation_key, page.locale.language_code),
                date=_midnight(page.date),
                teaser=news_teaser(page.excerpt, page.body.raw_data, teaser_length),
                tags=[name for _slug, name in tags_of[page.pk]],
                language=page.locale.language_code,
                updated=page.last_published_at,
                image=images.get(page.image_id),
            )
        )
    return entries


def _images(request, ids):
    """The featured images of a feed's items in one query, as enclosures need them."""
    if not ids:
        return {}
    result = {}
    for image in get_image_model().objects.filter(pk__in=ids):
        mime_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
        result[image.pk] = Image(
            url=_absolute(request, image.file.url),
            # Wagtail records the size on upload; get_file_size() fills it in for older images.
            length=image.get_file_size() or 0,
            mime_type=mime_type,
            alt=getattr(image, "description", "") or "",
        )
    return result


def _absolute(request, url):
    # From the requesting Site, never the raw Host header (see api.context.site_origin): a
    # cached feed is shared by every Host its Site answers.
    origin = site_origin(request)
    return urljoin(origin + "/", url) if origin else request.build_absolute_uri(url)


def _page_url(page, request):
    return page.get_full_url(request) or ""


def _site_url(site, request):
    if site is not None:
        return site.root_url + "/"
    return request.build_absolute_uri("/")


def _site_name(site):
    return (site and site.site_name) or getattr(settings, "WAGTAIL_SITE_NAME", "") or ""


def _midnight(date):
    """A news item's date as the start of that day in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


def _urn(key, name):
    # Stable through renames and moves (unlike URLs) and distinct per language.
    return f"urn:uuid:{uuid.uuid5(key, name)}"
