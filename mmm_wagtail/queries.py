"""Every listing query of the package, written once.

Rules all listings follow (PRODUCT.md): only live, public, current pages of the requested
locale and site; news newest first with a stable tie-break; an item listed under several
delegations appears once. Delegations are matched by ``translation_key`` so a feed or a
news item pointing at the French delegation also matches its English translation.

News listings (``news/``, feeds, each delegation's latest news) read the listing read
model (``models.listing``: one indexed row per listable news item), so their cost follows
the page asked for, not the number of news. Page listings (delegations, server-rendered
pages) start from :func:`pages`, which applies the ``UNTRANSLATED`` setting through
``localization.localized``: with ``"fallback"``, a listing in English also holds the French
pages not translated into English (never both versions, never an alias page); the read
model's ``for_reader`` applies the same rule.

``locale`` is a ``Locale`` or a language code; ``root`` is None (no restriction), a page
(its subtree in each locale in play, one query) or a mapping ``{language code: url_path}``
(``localization.site_roots``: the site's root in each language, no query).
"""

import datetime
import functools
import hashlib
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length, Now, Substr
from wagtail.models import Locale, Page, PageViewRestriction

from .cache import tags as cache_tags
from .cache.versions import COUNTER
from .localization import fallback_codes, localized
from .models import (
    ContentTag,
    DelegationPage,
    NewsListing,
    NewsListingCount,
    NewsListingDelegation,
    NewsPage,
    NewsPageTag,
)

NEWS_ORDER = ("-date", "-pk")
_STEPLEN = Page.steplen


def _locale_q(locale):
    if isinstance(locale, Locale):
        return Q(locale=locale)
    return Q(locale__language_code=locale)


@functools.cache
def public_q():
    """Pages outside every view-restricted section.

    Wagtail's ``PageQuerySet.public()`` runs a query to list the restrictions each time a
    queryset is built; a correlated subquery keeps a listing to one query. The
    expression holds no value that changes and querysets copy it when they resolve it,
    so it is built once.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return ~Exists(restricted)


def current(queryset):
    """Live, public, not expired, not scheduled for later; aliases are left out.

    Times are compared with the database's clock (``Now()``), not a parameter: the SQL of
    a listing then stays the same from one request to the next (see ``statements``).
    """
    return queryset.filter(
        public_q(),
        Q(expire_at__isnull=True) | Q(expire_at__gt=Now()),
        Q(go_live_at__isnull=True) | Q(go_live_at__lte=Now()),
        live=True,
        expired=False,
        alias_of__isnull=True,
    )


def pages(locale, root=None, model=Page):
    """Current pages of ``model`` a reader of ``locale`` gets within ``root``, per the
    ``UNTRANSLATED`` setting; no order. Every listing starts here."""
    return localized(current(model.objects.all()), locale, root=root)


def news(locale, root=None):
    return pages(locale, root, NewsPage).order_by(*NEWS_ORDER)


def delegations(locale, root=None):
    """Delegations in tree order.

    With fallback, the list mixes two trees (the locale's and the default locale's): each
    delegation takes the place its default-language version has in that tree, so the
    English list is in the French order, untranslated French delegations included.
    """
    queryset = pages(locale, root, DelegationPage)
    codes = fallback_codes(locale)
    if len(codes) == 1:
        return queryset.order_by("path")
    source_path = DelegationPage.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=codes[1], alias_of__isnull=True
    ).values("path")[:1]
    return queryset.order_by(Coalesce(Subquery(source_path), F("path")), "path")


def _parent_path(outer):
    return Substr(outer("path"), 1, Length(outer("path")) - _STEPLEN)


def parent_key():
    """The translation key of a news item's parent page (an annotation, no extra query)."""
    return Subquery(Page.objects.filter(path=_parent_path(OuterRef)).values("translation_key")[:1])


def delegation_key_filter(keys):
    """A Q matching news whose parent or related delegations have one of the translation ``keys``.

    Any locale: a French news item listed in English (fallback) is found through its French
    parent, which shares its key with the English delegation.
    """
    keys = list(keys)
    parent = DelegationPage.objects.filter(translation_key__in=keys, path=_parent_path(OuterRef))
    related = NewsPage.related_delegations.through.objects.filter(
        newspage_id=OuterRef("pk"), delegationpage__translation_key__in=keys
    )
    return Q(Exists(parent)) | Q(Exists(related))


def delegation_filter(delegation_pages):
    """A Q matching news whose parent or related delegations are any of ``delegation_pages``,
    or their translations."""
    return delegation_key_filter({d.translation_key for d in delegation_pages})


def news_for_delegations(locale, delegation_pages, root=None):
    return news(locale, root).filter(delegation_filter(delegation_pages))


@dataclass(frozen=True)
class NewsFilters:
    """The filters of the ``news/`` listing (hashable).

    ``delegation_keys``: translation keys (as strings) of the delegations, any of which the
    news must belong to (parent or related), or None; ``tag_ids``: tags all of which it
    carries; ``search_ids``: ids the search backend found, a ``TextSearch`` the listing query
    applies itself (``search_news_ids``), or None; ``order``: a key of
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
    if isinstance(filters.search_ids, TextSearch):
        queryset = queryset.filter(filters.search_ids.condition())
    elif filters.search_ids is not None:
        queryset = queryset.filter(page_id__in=filters.search_ids)
    return queryset.in_order(filters.order)


def _count_key(language, roots, filters):
    """What a listing's length depends on besides the content: the reader's languages (with
    the ``UNTRANSLATED`` rule), the site roots and every filter but the order."""
    raw = [
        fallback_codes(language),
        sorted(roots.items()) if roots is not None else None,
        filters.delegation_keys,
        filters.tag_ids,
        filters.date_from,
        filters.date_to,
        filters.search_ids,
    ]
    return hashlib.sha256(json.dumps(raw, default=str).encode()).hexdigest()


def _count_tags(language, filters):
    """The dependency tags (``cache.tags``) whose change can change the listing's length."""
    found = {cache_tags.ALL, *(cache_tags.listing(code) for code in fallback_codes(language))}
    if filters.tag_ids:
        found.add(cache_tags.TAGS)  # a deleted tag's id may be reused
    return sorted(found)


def _stored_count(key, tags):
    """The stored length of the listing ``key`` while still good, as a one-value queryset."""
    newer = ContentTag.objects.filter(tag__in=tags, version__gt=OuterRef("version"))
    fresh = NewsListingCount.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=Now()), ~Exists(newer), key=key
    )
    return fresh.values("count")[:1]


def _count(matching, key):
    """Count the listing and store its length (three queries: count, prune, store). The content
    version and the next scheduled change are read in the counting statement itself, so the
    three agree."""
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
    # Lengths no listing can use any more go: past their time, or older than the last change
    # every listing depends on (a move, a deletion, a restriction, a site).
    everything = ContentTag.objects.filter(tag=cache_tags.ALL).values("version")[:1]
    unusable = NewsListingCount.objects.filter(
        Q(valid_until__lte=Now()) | Q(version__lt=Coalesce(Subquery(everything), 0))
    )
    # One DELETE (QuerySet.delete would select the rows first: the package's post_delete
    # receivers listen to every model).
    select, params = unusable.values("key").query.sql_with_params()
    table = connection.ops.quote_name(NewsListingCount._meta.db_table)
    with connection.cursor() as cursor:
        key_column = connection.ops.quote_name("key")
        cursor.execute(f"DELETE FROM {table} WHERE {key_column} IN ({select})", params)
    NewsListingCount.objects.bulk_create(
        [NewsListingCount(key=key, count=total, version=version, valid_until=min(upcoming, default=None))],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["count", "version", "valid_until"],
    )
    return total


def news_page(language, roots, filters, offset=0, limit=20):
    """``(ids, total)``: the ids of one page of the listing and the listing's length.

    The page is an index range that stops after ``offset + limit`` rows. The length is not
    counted on every request: it is stored per listing (``NewsListingCount``) with the
    content version it was counted at and the next scheduled change, and read by a subquery
    of the page's query. One query while the stored length is good; after a change to what
    the listing depends on (or past a scheduled time), three more: counting every match,
    dropping the stored lengths no listing can use any more, and storing the result.
    ``language`` is a code and ``roots`` a ``{language code: url_path}`` mapping.
    """
    matching = listing(language, roots, filters)
    key = _count_key(language, roots, filters)
    stored = _stored_count(key, _count_tags(language, filters))
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


# Below this many matches in the reader's languages, a search hands its ids to the listing
# (an IN list the database reads by primary key); above, the match is a condition the
# listing checks row by row in its index order, stopping after the page.
SEARCH_IDS_LIMIT = 200


@dataclass(frozen=True)
class TextSearch:
    """A search pushed into the listing query (PostgreSQL with Wagtail's database backend):
    the listing row's entry in Wagtail's search index matches ``text``, on its title or body
    vector (each has a GIN index; Wagtail's own ``title || body`` cannot use them), with the
    backend's text search configuration and its query syntax."""

    text: str
    alias: str = "default"

    def entries(self):
        """The matching entries of news pages in the backend's index (its GIN indexes)."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.search.backends import get_search_backend

        backend = get_search_backend(self.alias)
        compiler = backend.query_compiler_class(NewsPage.objects.none(), self.text, operator="and")
        query = compiler.build_tsquery(compiler.query, config=backend.config)
        return _index_entry_model(backend).objects.filter(
            Q(title=query) | Q(body=query), content_type=ContentType.objects.get_for_model(NewsPage)
        )

    def condition(self):
        """A listing row's entry matches (checked per row, in the listing's index order)."""
        from django.db.models import CharField
        from django.db.models.functions import Cast

        return Exists(self.entries().filter(object_id=Cast(OuterRef("page_id"), CharField())))


def _index_entry_model(backend):
    """The index table of Wagtail's PostgreSQL database backend, or None for any other backend."""
    import sys

    from django.db import connections

    if type(backend).__name__ != "PostgresSearchBackend" or connections["default"].vendor != "postgresql":
        return None
    return getattr(sys.modules[type(backend).__module__], "IndexEntry", None)


def search_news_ids(text, language=None):
    """What the ``news/`` listing's ``search`` filter holds: the ids of the live news of
    ``language`` (and of its fallback language, per the ``UNTRANSLATED`` setting) matching
    ``text`` in Wagtail's search backend, or a :class:`TextSearch` when there are many.

    Locale and liveness are applied in the backend (``locale`` and ``live`` are FilterFields
    of every page), so it returns only candidates a reader can get; the listing query that
    takes these ids applies the site, view restrictions, times and the other filters. With
    Wagtail's Elasticsearch/OpenSearch backend configured, this search runs there.

    On PostgreSQL with Wagtail's database backend, the search reads the backend's index
    table itself: at most ``SEARCH_IDS_LIMIT + 1`` matching ids of the reader's languages
    (the GIN indexes of the title and body vectors); beyond that, the listing query checks
    each of its rows' entries in date order and stops after the page (:class:`TextSearch`),
    so a word found in every news item costs the page asked for, not the number of matches.
    """
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    codes = fallback_codes(language) if language is not None else None
    if _index_entry_model(backend) is not None:
        from django.db.models import IntegerField
        from django.db.models.functions import Cast

        search = TextSearch(text)
        readable = Page.objects.filter(pk=Cast(OuterRef("object_id"), IntegerField()), live=True)
        if codes is not None:
            readable = readable.filter(locale__language_code__in=codes)
        found = search.entries().filter(Exists(readable)).values_list("object_id", flat=True)
        ids = [int(pk) for pk in found[: SEARCH_IDS_LIMIT + 1]]
        return tuple(ids) if len(ids) <= SEARCH_IDS_LIMIT else search
    queryset = NewsPage.objects.filter(live=True).only("pk")
    if codes is not None:
        locales = list(Locale.objects.filter(language_code__in=codes))
        queryset = queryset.filter(locale__in=locales)
    results = backend.search(text, queryset, operator="and", order_by_relevance=False)
    return tuple(page.pk for page in results)


class _Fields:
    """Attribute access to a delegation given as a page or as a ``values()`` dict."""

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, name):
        if isinstance(self._obj, dict):
            return self._obj[name]
        return getattr(self._obj, name)


def _roots_mapping(locale, root):
    """``root`` as the ``{language code: url_path}`` mapping the read model takes: a page
    becomes its versions in the locales a reader of ``locale`` gets (one query)."""
    if not isinstance(root, Page):
        return root
    codes = fallback_codes(locale)
    versions = Page.objects.filter(translation_key=root.translation_key, locale__language_code__in=codes)
    return dict(versions.values_list("locale__language_code", "url_path"))


def latest_news_ids(locale, delegation_list, root=None):
    """{delegation pk: [news pks newest first]}, each delegation's ``latest_news_count`` latest.

    One query whatever the number of delegations: per delegation and rank, a subquery reads
    the delegation's rows of ``NewsListingDelegation`` (parent and related alike) newest
    first from its index and stops at that rank, so the cost follows the number of cards,
    not the number of news.
    """
    delegation_list = [_Fields(d) for d in delegation_list]
    wanted = {d.pk: d.latest_news_count for d in delegation_list}
    top = max(wanted.values(), default=0)
    result = {pk: [] for pk in wanted}
    if not top:
        return result
    language = locale.language_code if isinstance(locale, Locale) else locale
    codes = fallback_codes(language)
    readable = NewsListing.objects.for_reader(codes, _roots_mapping(language, root))
    ranked = (
        NewsListingDelegation.objects.filter(
            delegation_key=OuterRef("translation_key"),
            language__in=codes,
        )
        .filter(Exists(readable.filter(pk=OuterRef("news_id"))))
        .order_by("-date", "-news_id")
        .values("news_id")
    )
    ranks = {f"rank_{rank}": Subquery(ranked[rank : rank + 1]) for rank in range(top)}
    rows = Page.objects.filter(pk__in=list(wanted)).annotate(**ranks).values("pk", *ranks)
    for row in rows:
        found = [row[f"rank_{rank}"] for rank in range(wanted[row["pk"]])]
        result[row["pk"]] = [pk for pk in found if pk is not None]
    return result


def delegations_with_latest_news(locale, root=None):
    """Delegations of ``locale`` each with ``latest_news``: its N latest news (N from the page)."""
    result = list(delegations(locale, root))
    ids = latest_news_ids(locale, result, root)
    loaded = NewsPage.objects.in_bulk([pk for pks in ids.values() for pk in pks])
    for delegation in result:
        delegation.latest_news = [loaded[pk] for pk in ids[delegation.pk]]
    return result


def feed_news(feed, root=None, locale=None):
    """The news a NewsFeed snippet lists, newest first (in ``locale``, default the feed's own).

    The items are chosen on the read model (an index range that stops at ``item_count``)
    and returned as a NewsPage queryset: still one query.
    """
    locale = feed.locale if locale is None else locale
    language = locale.language_code if isinstance(locale, Locale) else locale
    chosen = NewsListing.objects.for_reader(fallback_codes(language), _roots_mapping(language, root))
    keys = [d.translation_key for d in feed.delegations.all()]
    if keys:
        chosen = chosen.in_delegations(keys)
    tag_ids = [tag.pk for tag in feed.tags.all()]
    if tag_ids:
        chosen = chosen.filter(
            Exists(NewsPageTag.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids))
        )
    chosen = chosen.in_order("-date").values("page_id")[: feed.item_count]
    return NewsPage.objects.filter(pk__in=Subquery(chosen)).order_by(*NEWS_ORDER)


def resolve_feed(feed, root=None):
    """The news items a NewsFeed snippet currently lists, newest first."""
    return feed_news(feed, root)
