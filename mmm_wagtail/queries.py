"""The API's news list, its count and its search, composed from the models' query vocabulary.

Rules all lists follow (docs/content-model.md): only live, public, current pages of the requested
locale and site; news newest first with a stable tie-break; an item listed under several
delegations appears once. The vocabulary itself lives with the models
(``models.querysets``: ``current()``, ``localized()``, ``readable()``, ``in_delegations()``…;
``models.listing``: ``for_reader()``, ``in_delegations()``, ``with_tags()``, ``in_order()``);
this module composes it for the faces (API, syndication, templates) and imports no face.

Lists of news (``news/``, feeds, each delegation's latest news) read the listing, the read
model (``models.listing``: one indexed row per listable news item), so their cost follows
the page asked for, not the number of news. A page of a list (``news_page``,
``news_page_after``) is a page of results, not a Wagtail page.

``roots`` is None (no restriction) or a mapping ``{language code: url_path}``
(``locales.site_roots``: the site's root in each language, no query).
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import router
from django.db.models import Exists, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Now
from taggit.models import Tag
from wagtail.models import Locale

from .cache import dependency_tags, versions
from .cache.versions import COUNTER
from .locales import fallback_codes
from .models import ContentTag, NewsListing, NewsListingCount, NewsListingSearch, NewsPage
from .models.listing import ORDERS
from .models.pages import NewsPageTag
from .models.querysets import ContentPageQuerySet, readable_q
from .statements import Ids
from .textsearch import config_for

__all__ = [
    "KeysetPage",
    "NewsFilters",
    "TextSearch",
    "current",
    "listed_tag_ids",
    "news_list",
    "news_page",
    "news_page_after",
    "search_news_ids",
]


def current(queryset):
    """``queryset`` (of any page type, ``Page.objects`` too) limited to what a reader may get:
    ``models.querysets.readable_q``, the one rule (live, public, not expired, not scheduled
    for later, the same for every ancestor; not an alias). The package's own page types also
    have it as a method (``NewsPage.objects.current()``), which ``queryset`` of one of them
    applies here (``DelegationPage`` querysets check it on the delegations' own rows)."""
    if isinstance(queryset, ContentPageQuerySet):
        return queryset.current()
    return queryset.filter(readable_q())


def listed_tag_ids(tag_ids):
    """The ``tag_ids`` some news item a reader may get carries now (a current row of the read
    model, any language or site), in one query: the ``tag`` filter answers a tag only drafts
    or hidden news carry as it answers an unknown one (404), so that a tag's existence says
    nothing about unpublished content."""
    listed = NewsListing.objects.current().filter(page_id=OuterRef("content_object_id"))
    # The first such item per tag, a subquery with LIMIT 1 the planner cannot merge into a
    # join: the read stops at it. (A join, or EXISTS, read every item of the tag: 48 ms for a
    # tag on 15% of 100,000 news on PostgreSQL, against 0.1 ms.)
    first = NewsPageTag.objects.filter(tag_id=OuterRef("pk")).filter(Exists(listed)).values("pk")[:1]
    tags = Tag.objects.filter(pk__in=list(tag_ids)).annotate(first_listed=Subquery(first))
    return set(tags.filter(first_listed__isnull=False).values_list("pk", flat=True))


@dataclass(frozen=True)
class NewsFilters:
    """The filters of the ``news/`` list (hashable).

    ``delegation_keys``: translation keys (as strings) of the delegations, any of which the
    news must belong to (parent or related), or None; ``tag_ids``: tags all of which it
    carries; ``search_ids``: ids the search backend found, a ``TextSearch`` the list's query
    applies itself (``search_news_ids``), or None; ``order``: a key of
    ``models.listing.ORDERS``; ``changed_since``: an aware datetime, only news whose page was
    last published then or later, or listed again since (``NewsListing.listed_at``): a
    syncer's "what changed since my last run".
    """

    delegation_keys: tuple | None = None
    tag_ids: tuple = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    search_ids: tuple | None = None
    order: str = "-date"
    changed_since: datetime.datetime | None = None


def news_list(language, roots, filters=NewsFilters()):
    """The ``news/`` list: current news a reader of ``language`` gets within ``roots``
    (``{language code: url_path}``, or None), with ``filters``, read from the read model
    (``NewsListing``) through an index that gives them in order."""
    queryset = NewsListing.objects.for_reader(fallback_codes(language, site=roots), roots)
    if filters.delegation_keys is not None:
        queryset = queryset.in_delegations(filters.delegation_keys)
    if filters.tag_ids:
        queryset = queryset.with_tags(filters.tag_ids)
    if filters.date_from:
        queryset = queryset.filter(date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(date__lte=filters.date_to)
    if isinstance(filters.search_ids, TextSearch):
        queryset = queryset.filter(filters.search_ids.condition())
    elif filters.search_ids is not None:
        queryset = queryset.filter(page_id__in=Ids(filters.search_ids))
    if filters.changed_since is not None:
        # Published since, or listed again since without a publish of its own (``listed_at``).
        since = filters.changed_since
        queryset = queryset.filter(Q(page__last_published_at__gte=since) | Q(listed_at__gte=since))
    return queryset.in_order(filters.order)


def _count_key(language, roots, filters):
    """What a list's length depends on besides the content: the reader's languages (with
    the ``UNTRANSLATED`` rule), the site roots and every filter but the order."""
    raw = [
        fallback_codes(language, site=roots),
        sorted(roots.items()) if roots is not None else None,
        filters.delegation_keys,
        filters.tag_ids,
        filters.date_from,
        filters.date_to,
        filters.search_ids,
        filters.changed_since,
    ]
    return hashlib.sha256(json.dumps(raw, default=str).encode()).hexdigest()


def _count_tags(language, roots, filters):
    """The dependency tags (``cache.dependency_tags``) whose change can change the list's length."""
    found = {dependency_tags.ALL, *map(dependency_tags.lists, fallback_codes(language, site=roots))}
    if filters.tag_ids:
        found.add(dependency_tags.TAG_NAMES)  # a deleted tag's id may be reused
    return sorted(found)


def _stored_count(key, tags):
    """The stored length of the list ``key`` while still good, as a one-value queryset."""
    newer = ContentTag.objects.filter(tag__in=tags, version__gt=OuterRef("version"))
    fresh = NewsListingCount.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=Now()), ~Exists(newer), key=key
    )
    return fresh.values("count")[:1]


def _count(matching, key):
    """Count the list and store its length (three queries: count, prune, store). The content
    version and the next scheduled change are read in the counting statement itself, so the
    three agree."""
    # The stored length carries the version read here: a change later in this transaction
    # must bump anew rather than join an earlier bump's version (cache.changes._Batch).
    versions.note_read()
    version = ContentTag.objects.filter(tag=COUNTER).values("version")[:1]
    soonest = NewsListing.objects.order_by()
    counted = (
        matching.order_by()
        .annotate(
            n=Func("pk", function="COUNT"),
            version=Coalesce(Subquery(version), 0),
            next_live=Subquery(
                soonest.filter(go_live_at__gt=Now()).order_by("go_live_at").values("go_live_at")[:1]
            ),
            next_expiry=Subquery(
                soonest.filter(expire_at__gt=Now()).order_by("expire_at").values("expire_at")[:1]
            ),
        )
        .values_list("n", "version", "next_live", "next_expiry")
    )
    rows = list(counted[:1])
    if not rows:
        # Empty by construction (a language outside the site: ``pk__in=[]``), no query ran.
        return 0
    total, version, next_live, next_expiry = rows[0]
    upcoming = [moment for moment in (next_live, next_expiry) if moment is not None]
    # Lengths no list can use any more go: past their time, or older than the last change
    # every list depends on (a move, a deletion, a restriction, a site).
    using = router.db_for_write(NewsListingCount)
    everything = ContentTag.objects.filter(tag=dependency_tags.ALL).values("version")[:1]
    # One DELETE: no receiver listens to this model and nothing points at it, so Django
    # deletes without selecting the rows first (its fast delete).
    NewsListingCount.objects.using(using).filter(
        Q(valid_until__lte=Now()) | Q(version__lt=Coalesce(Subquery(everything), 0))
    ).delete()
    NewsListingCount.objects.using(using).bulk_create(
        [NewsListingCount(key=key, count=total, version=version, valid_until=min(upcoming, default=None))],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["count", "version", "valid_until"],
    )
    return total


def news_page(language, roots, filters, offset=0, limit=20):
    """``(ids, total)``: the ids of one page of the list and the list's length.

    The page is an index range that stops after ``offset + limit`` rows. The length is not
    counted on every request: it is stored per list (``NewsListingCount``) with the
    content version it was counted at and the next scheduled change, and read by a subquery
    of the page's query. One query while the stored length is good; after a change to what
    the list depends on (or past a scheduled time), three more: counting every match,
    dropping the stored lengths no list can use any more, and storing the result.
    ``language`` is a code and ``roots`` a ``{language code: url_path}`` mapping.
    """
    matching = news_list(language, roots, filters)
    key = _count_key(language, roots, filters)
    stored = _stored_count(key, _count_tags(language, roots, filters))
    ranked = matching.annotate(_total=Subquery(stored)).values_list("page_id", "_total")
    ranked = list(ranked[offset : offset + limit])
    if ranked:
        total = ranked[0][1]
        return [pk for pk, _total in ranked], _count(matching, key) if total is None else total
    if not offset:
        return [], 0
    # Past the end no row carries the stored length: ask for it (only then).
    total = next(iter(stored.values_list("count", flat=True)), None)
    return [], _count(matching, key) if total is None else total


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list read from a position (``news_page_after``): ``ids`` in the
    list's order, ``positions`` their ``(date or title, page id)`` in that order (what a
    cursor holds), ``total`` the list's length, ``more`` whether rows lie beyond the page in
    the direction read."""

    ids: list
    positions: list
    total: int
    more: bool


def news_page_after(language, roots, filters, position=None, backwards=False, limit=20):
    """The page of the list that follows ``position`` (``(date or title, page id)`` of a
    row, in ``filters.order``; None: from the start), or with ``backwards`` the page before it,
    as a :class:`KeysetPage` in the list's order.

    The read starts at the position in the order's index (``NewsListing.objects.beyond``) and
    stops after ``limit + 1`` rows (the one past the page says whether there is more): its cost
    is the page's, at any depth, where ``news_page``'s offset reads every row above the page.
    Rows published above the position meanwhile are not read: paging on, no row is skipped or
    read twice. The length comes as in ``news_page`` (stored, read by the page's query)."""
    matching = news_list(language, roots, filters)
    key = _count_key(language, roots, filters)
    stored = _stored_count(key, _count_tags(language, roots, filters))
    read = matching
    if position is not None:
        read = read.beyond(filters.order, position, backwards)
    if backwards:
        read = read.in_order(filters.order, reverse=True)
    column = ORDERS[filters.order][0].lstrip("-")
    ranked = read.annotate(_total=Subquery(stored)).values_list("page_id", column, "_total")
    ranked = list(ranked[: limit + 1])
    more = len(ranked) > limit
    ranked = ranked[:limit]
    if backwards:
        ranked.reverse()
    if ranked:
        total = ranked[0][2]
    elif position is None:
        total = 0  # read from the start, nothing: the list is empty
    else:
        total = next(iter(stored.values_list("count", flat=True)), None)
    if total is None:
        total = _count(matching, key)
    return KeysetPage(
        ids=[pk for pk, _value, _total in ranked],
        positions=[(value, pk) for pk, value, _total in ranked],
        total=total,
        more=more,
    )


# Below this many matches in the reader's languages, a search hands its ids to the list's
# query (an IN list the database reads by primary key); above, the match is a condition the
# query checks row by row in its index order, stopping after the page.
SEARCH_IDS_LIMIT = 200


@dataclass(frozen=True)
class TextSearch:
    """A search pushed into the list's query (PostgreSQL with Wagtail's database backend): the
    news item's search vector (``NewsListingSearch``, GIN-indexed, made in the configuration of
    the item's language: ``textsearch``) matches ``text`` parsed by the backend's query compiler
    (its query syntax, ``operator="and"``) in that same configuration, for each of the reader's
    ``languages``."""

    text: str
    languages: tuple

    def matches(self):
        """The vectors that match (a GIN lookup per language)."""
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend()
        compiler = backend.query_compiler_class(NewsPage.objects.none(), self.text, operator="and")
        match = Q(pk__in=[])
        for language in self.languages:
            query = compiler.build_tsquery(compiler.query, config=config_for(language))
            # No query for a text with no word (``-``, ``--``): it matches nothing.
            if query is not None:
                match |= Q(language=language, search_vector__matches=query)
        return NewsListingSearch.objects.filter(match)

    def condition(self):
        """A listing row's vector matches (one primary-key lookup per row, checked in the
        listing's index order, which stops after the page)."""
        return Exists(self.matches().filter(page_id=OuterRef("page_id")))


def _searches_vectors(backend):
    """Whether the ``news/`` search reads the listing's own vectors: the listing is on PostgreSQL
    and the search backend is Wagtail's database backend for PostgreSQL (what
    ``wagtail.search.backends.database`` resolves to there)."""
    if not NewsListingSearch.in_use():
        return False  # only then import the PostgreSQL backend (it needs psycopg)
    try:
        from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
    except ImportError:  # Wagtail 7.4 keeps its search backends in wagtail.search
        from wagtail.search.backends.database.postgres.postgres import PostgresSearchBackend
    return isinstance(backend, PostgresSearchBackend)


def search_news_ids(text, language=None, site=None):
    """What the ``news/`` list's ``search`` filter holds: the ids of the live news of
    ``language`` (and of ``site``'s default language, per the ``UNTRANSLATED`` setting; every
    language when None) matching ``text``, or a :class:`TextSearch` when there are many.

    On PostgreSQL with Wagtail's database backend, the search reads the listed news' own search
    vectors (``NewsListingSearch``), each in its language's text search configuration (Wagtail's index has one
    configuration for every language and no language column): at most
    ``SEARCH_IDS_LIMIT + 1`` matching ids of the reader's languages (a GIN index); beyond
    that, the list's query checks each row's vector in date order and stops after the page
    (:class:`TextSearch`), so a word found in every news item costs the page asked for, not
    the number of matches.

    With any other backend (Wagtail's Elasticsearch/OpenSearch backends, its SQLite or MySQL
    database backends) the search runs there, with locale and liveness applied in the backend
    (``locale`` and ``live`` are FilterFields of every page); the list's query that takes
    these ids applies the site, view restrictions, times and the other filters.
    """
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    codes = fallback_codes(language, site=site) if language is not None else None
    if _searches_vectors(backend):
        if codes is None:
            codes = list(Locale.objects.values_list("language_code", flat=True))
        search = TextSearch(text, tuple(codes))
        ids = list(search.matches().values_list("page_id", flat=True)[: SEARCH_IDS_LIMIT + 1])
        return tuple(ids) if len(ids) <= SEARCH_IDS_LIMIT else search
    queryset = NewsPage.objects.filter(live=True).only("pk")
    if codes is not None:
        locales = list(Locale.objects.filter(language_code__in=codes))
        queryset = queryset.filter(locale__in=locales)
    results = backend.search(text, queryset, operator="and", order_by_relevance=False)
    return tuple(page.pk for page in results)
