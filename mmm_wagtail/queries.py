"""The API's news listing, its count and its search, composed from the models' query vocabulary.

Rules all listings follow (docs/content-model.md): only live, public, current pages of the requested
locale and site; news newest first with a stable tie-break; an item listed under several
delegations appears once. The vocabulary itself lives with the models
(``models.querysets``: ``current()``, ``localized()``, ``readable()``, ``in_delegations()``…;
``models.listing``: ``for_reader()``, ``in_delegations()``, ``with_tags()``, ``in_order()``);
this module composes it for the faces (API, syndication, templates) and imports no face.

News listings (``news/``, feeds, each delegation's latest news) read the listing read
model (``models.listing``: one indexed row per listable news item), so their cost follows
the page asked for, not the number of news.

``roots`` is None (no restriction) or a mapping ``{language code: url_path}``
(``locales.site_roots``: the site's root in each language, no query).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Func, Subquery
from wagtail.models import Locale

from .locales import fallback_codes
from .models import NewsListing, NewsPage
from .models.querysets import current_q

__all__ = ["NewsFilters", "current", "listing", "news_page", "search_news_ids"]


def current(queryset):
    """``queryset`` (of any page type, ``Page.objects`` too) limited to live, public pages,
    not expired, not scheduled for later, not aliases: ``models.querysets.current_q``.
    The package's own page types also have it as a method (``NewsPage.objects.current()``)."""
    return queryset.filter(current_q())


@dataclass(frozen=True)
class NewsFilters:
    """The filters of the ``news/`` listing (hashable).

    ``delegation_keys``: translation keys (as strings) of the delegations, any of which the
    news must belong to (parent or related), or None; ``tag_ids``: tags all of which it
    carries; ``search_ids``: ids the search backend found, or None; ``order``: a key of
    ``models.listing.ORDERS``.
    """

    delegation_keys: tuple | None = None
    tag_ids: tuple = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    search_ids: tuple | None = None
    order: str = "-date"


def listing(language, roots, filters=NewsFilters()):
    """The ``news/`` listing: current news a reader of ``language`` gets within ``roots``
    (``{language code: url_path}``, or None), with ``filters``, read from the read model
    (``NewsListing``) through an index that gives them in order."""
    queryset = NewsListing.objects.for_reader(fallback_codes(language), roots)
    if filters.delegation_keys is not None:
        queryset = queryset.in_delegations(filters.delegation_keys)
    if filters.tag_ids:
        queryset = queryset.with_tags(filters.tag_ids)
    if filters.date_from:
        queryset = queryset.filter(date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(date__lte=filters.date_to)
    if filters.search_ids is not None:
        queryset = queryset.filter(page_id__in=filters.search_ids)
    return queryset.in_order(filters.order)


def news_page(language, roots, filters, offset=0, limit=20):
    """``(ids, total)``: the ids of one page of the listing and the listing's length, in one query.

    The page is an index range that stops after ``offset + limit`` rows; the count is an
    uncorrelated subquery the database evaluates once, on the narrow listing rows (a window
    count would have to read every match before the page could stop).
    ``language`` is a code and ``roots`` a ``{language code: url_path}`` mapping.
    """
    matching = listing(language, roots, filters)
    total = Subquery(matching.order_by().annotate(n=Func("pk", function="COUNT")).values("n"))
    ranked = list(matching.annotate(_total=total).values_list("page_id", "_total")[offset : offset + limit])
    if ranked:
        return [pk for pk, _total in ranked], ranked[0][1]
    if not offset:
        return [], 0
    # Past the end no row carries the count: ask for it (only then).
    return [], matching.count()


def search_news_ids(text, language=None):
    """Ids of the live news of ``language`` (and of its fallback language, per the
    ``UNTRANSLATED`` setting) matching ``text`` in Wagtail's search backend.

    Locale and liveness are applied in the backend (``locale`` and ``live`` are FilterFields
    of every page), so it returns only candidates a reader can get; the listing query that
    takes these ids applies the site, view restrictions, times and the other filters. With
    Wagtail's Elasticsearch/OpenSearch backend configured, this search runs there.
    """
    from wagtail.search.backends import get_search_backend

    queryset = NewsPage.objects.filter(live=True).only("pk")
    if language is not None:
        locales = list(Locale.objects.filter(language_code__in=fallback_codes(language)))
        queryset = queryset.filter(locale__in=locales)
    results = get_search_backend().search(text, queryset, operator="and", order_by_relevance=False)
    return [page.pk for page in results]
