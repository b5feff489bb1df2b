"""The listing rows the page tree calls for, and writing them.

A news page has a row when it is live, not expired, not an alias and outside every
view-restricted section: the same rules as ``queries.current`` except the two times,
which the row keeps and listings compare with the database's clock.
"""

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from wagtail.models import Page

from ..models import NewsListing, NewsListingCount, NewsListingDelegation, NewsListingSearch, NewsPage
from ..models.querysets import parent_key, public_q
from .search import stale_vectors, write_vectors

BATCH = 2000
_FIELDS = ("translation_key", "url_path", "title", "date", "go_live_at", "expire_at")


def listable(scope):
    """The news pages of ``scope`` (a NewsPage queryset) that get a row."""
    return scope.filter(public_q(), live=True, expired=False, alias_of__isnull=True)


def expected(scope):
    """``{page id: (NewsListing, [delegation keys])}`` for the news of ``scope``, unsaved.

    Three queries: the rows, the related delegations' keys; parents come as an annotation.
    """
    values = listable(scope).values("pk", *_FIELDS, language=F("locale__language_code"), parent=parent_key())
    result = {}
    for row in values:
        listing = NewsListing(
            page_id=row["pk"],
            language=row["language"],
            parent_key=row["parent"],
            **{name: row[name] for name in _FIELDS},
        )
        result[row["pk"]] = (listing, [row["parent"]] if row["parent"] else [])
    related = NewsPage.related_delegations.through.objects.filter(newspage_id__in=list(result))
    for news_id, key in related.values_list("newspage_id", "delegationpage__translation_key"):
        keys = result[news_id][1]
        if key not in keys:
            keys.append(key)
    return result


def _write(found):
    if not found:
        return
    listings = [listing for listing, _keys in found.values()]
    NewsListing.objects.bulk_create(listings)
    write_vectors({listing.pk: listing.language for listing in listings})
    NewsListingDelegation.objects.bulk_create(
        [
            NewsListingDelegation(
                news_id=pk, delegation_key=key, language=listing.language, date=listing.date
            )
            for pk, (listing, keys) in found.items()
            for key in keys
        ]
    )


def _ids(scope, ids=None):
    if ids is not None:
        return list(ids)
    return list(scope.values_list("pk", flat=True))


def forget(ids):
    """Drop the rows of the news ``ids`` (unpublished)."""
    NewsListingDelegation.objects.filter(news_id__in=ids).delete()
    NewsListingSearch.objects.filter(page_id__in=ids).delete()
    NewsListing.objects.filter(page_id__in=ids).delete()


def refresh(ids=None, paths=()):
    """Rewrite the rows of the news ``ids`` and of every news page under ``paths`` (tree paths,
    the page itself included). Pages that are gone or no longer listable lose their row."""
    match = Q(pk__in=list(ids or ()))
    for path in paths:
        match |= Q(path__startswith=path)
    scope = NewsPage.objects.filter(match)
    with transaction.atomic():
        pks = _ids(scope) if paths else list(ids or ())
        for start in range(0, len(pks), BATCH):
            batch = pks[start : start + BATCH]
            forget(batch)
            _write(expected(NewsPage.objects.filter(pk__in=batch)))


def resync_url_paths(path):
    """Copy the URL paths of the news under the tree ``path`` whose rows hold an old one
    (a slug changed above them): one UPDATE, which touches only the rows that differ."""
    url_path = Subquery(Page.objects.filter(pk=OuterRef("page_id")).values("url_path")[:1])
    stale = NewsListing.objects.filter(page__path__startswith=path).exclude(url_path=url_path)
    stale.update(url_path=url_path)


def rebuild():
    """Every row anew, in batches (``rebuild_news_listing``). Returns the number of rows written.

    Migrations do not call this: theirs are frozen copies of the rules of their time."""
    written = 0
    with transaction.atomic():
        NewsListingCount.objects.all().delete()
        NewsListingDelegation.objects.all().delete()
        NewsListingSearch.objects.all().delete()
        NewsListing.objects.all().delete()
        pks = list(NewsPage.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            found = expected(NewsPage.objects.filter(pk__in=pks[start : start + BATCH]))
            _write(found)
            written += len(found)
    return written


def _stored(pks):
    """``{page id: (NewsListing or None, [delegation keys])}``: None marks delegation rows
    left without their listing row."""
    rows = {listing.pk: (listing, []) for listing in NewsListing.objects.filter(page_id__in=pks)}
    delegations = NewsListingDelegation.objects.filter(news_id__in=pks)
    for news_id, key in delegations.values_list("news_id", "delegation_key"):
        rows.setdefault(news_id, (None, []))[1].append(key)
    return rows


def _signature(listing, keys):
    if listing is None:
        return None
    return (
        listing.language,
        *(getattr(listing, name) for name in _FIELDS),
        listing.parent_key,
        frozenset(keys),
    )


def drift():
    """Ids of the news whose stored row differs from the page tree (missing, extra or stale,
    its search vector included)."""
    stored_ids = set(NewsListing.objects.values_list("page_id", flat=True))
    stored_ids |= set(NewsListingDelegation.objects.values_list("news_id", flat=True))
    stored_ids |= set(NewsListingSearch.objects.values_list("page_id", flat=True))
    pks = sorted(set(NewsPage.objects.values_list("pk", flat=True)) | stored_ids)
    differ = []
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        want = expected(NewsPage.objects.filter(pk__in=batch))
        have = _stored(batch)
        for pk in batch:
            wanted, held = want.get(pk), have.get(pk)
            if (wanted is None) != (held is None) or (
                wanted is not None and _signature(*wanted) != _signature(*held)
            ):
                differ.append(pk)
        differ.extend(stale_vectors({pk: want[pk][0].language for pk in batch if pk in want}))
        searched = NewsListingSearch.objects.filter(page_id__in=batch).values_list("page_id", flat=True)
        differ.extend(pk for pk in searched if pk not in want)  # vectors of unlisted news
    return sorted(set(differ))
