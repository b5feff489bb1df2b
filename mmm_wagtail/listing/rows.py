"""The listing rows the page tree calls for, and writing them.

A news page has a row when a reader may get it, its times apart:
``models.querysets.readable_q(timed=False)`` (live, not expired, not an alias, outside every
view-restricted section, and every ancestor live and not expired). The row keeps the latest
``go_live_at`` and the earliest ``expire_at`` of the item and its ancestors, which listings
compare with the database's clock (``NewsListing.objects.current()``): a scheduled or
expiring delegation takes its news with it, on time.

Concurrent writers: ``refresh`` locks the page rows of the news it rewrites (``lock``: in
primary key order, ``FOR NO KEY UPDATE``) before reading them, so the refreshes of one page
run one after the other, each reading what the one before committed (a publish is never
undone by a racing draft save), and writes by upsert (a row already there is updated, never
inserted twice). A publish already holds its page's row from its own ``UPDATE``.
"""

from django.db import connections, router, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from .. import statements
from ..basepage import Page
from ..models import (
    NewsListing,
    NewsListingCount,
    NewsListingDelegation,
    NewsListingSearch,
    NewsPage,
    NewsRemoval,
)
from ..models.querysets import parent_key, readable_q
from .search import stale_vectors, write_vectors

BATCH = 2000
_FIELDS = ("translation_key", "url_path", "title", "date", "go_live_at", "expire_at")
_STEPLEN = Page.steplen


def listable(scope):
    """The news pages of ``scope`` (a NewsPage queryset) that get a row."""
    return scope.filter(readable_q(timed=False))


def _ancestor_times(paths):
    """``{path: (go_live_at, expire_at)}`` of the ancestors of the pages at ``paths`` (the tree's
    root excepted) that have a scheduled time: one query by primary paths, none without."""
    above = {path[:end] for path in paths for end in range(2 * _STEPLEN, len(path), _STEPLEN)}
    if not above:
        return {}
    timed = Page.objects.filter(Q(go_live_at__isnull=False) | Q(expire_at__isnull=False), path__in=above)
    return {
        path: (go_live, expire)
        for path, go_live, expire in timed.values_list("path", "go_live_at", "expire_at")
    }


def _times(path, go_live_at, expire_at, times):
    """The item's times with its ancestors': the latest go-live, the earliest expiry."""
    for end in range(2 * _STEPLEN, len(path), _STEPLEN):
        go_live, expire = times.get(path[:end], (None, None))
        if go_live is not None and (go_live_at is None or go_live > go_live_at):
            go_live_at = go_live
        if expire is not None and (expire_at is None or expire < expire_at):
            expire_at = expire
    return go_live_at, expire_at


def _listable_values():
    """The values of the listable news among the ids bound as ``ids`` (a ``statements`` build:
    the readable rule's hundred-odd path lookups compiled once per process, not on every save)."""
    news = listable(NewsPage.objects.filter(pk__in=statements.IdList("ids")))
    return news.values("pk", "path", *_FIELDS, language=F("locale__language_code"), parent=parent_key())


def _related_keys():
    """``(news id, delegation key)`` of the related delegations of the news bound as ``ids``."""
    related = NewsPage.related_delegations.through.objects.filter(newspage_id__in=statements.IdList("ids"))
    return related.values_list("newspage_id", "delegationpage__translation_key")


def expected(ids):
    """``{page id: (NewsListing, [delegation keys])}`` for the news ``ids``, unsaved.

    Three or four queries: the rows (parents come as an annotation), the related delegations'
    keys, the ancestors' scheduled times when any page is below the tree's second level."""
    ids = list(ids)
    if not ids:
        return {}
    values = statements.fetch_dicts(_listable_values, ids=ids)
    times = _ancestor_times({row["path"] for row in values})
    # Written on insert only (``_upsert`` leaves it out of the updated fields).
    now = timezone.now()
    result = {}
    for row in values:
        row["go_live_at"], row["expire_at"] = _times(row["path"], row["go_live_at"], row["expire_at"], times)
        listing = NewsListing(
            page_id=row["pk"],
            language=row["language"],
            parent_key=row["parent"],
            listed_at=now,
            **{name: row[name] for name in _FIELDS},
        )
        result[row["pk"]] = (listing, [row["parent"]] if row["parent"] else [])
    if not result:
        return result
    for news_id, key in statements.fetch(_related_keys, ids=list(result)):
        keys = result[news_id][1]
        if key not in keys:
            keys.append(key)
    return result


_LISTING_FIELDS = ["language", "parent_key", *_FIELDS]


def _upsert(found):
    """Insert or update the rows of ``found`` (``expected``'s form), delegation rows included."""
    if not found:
        return
    NewsListing.objects.bulk_create(
        [listing for listing, _keys in found.values()],
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=_LISTING_FIELDS,
    )
    delegations = [
        NewsListingDelegation(news_id=pk, delegation_key=key, language=listing.language, date=listing.date)
        for pk, (listing, keys) in found.items()
        for key in keys
    ]
    if delegations:
        NewsListingDelegation.objects.bulk_create(
            delegations,
            update_conflicts=True,
            unique_fields=["news", "delegation_key"],
            update_fields=["language", "date"],
        )


def forget(ids):
    """Drop the rows of the news ``ids`` (no longer listed), noting the removal of each that had
    one (``NewsRemoval``, read by ``removed/``: a mirror drops them too)."""
    now = timezone.now()
    listed = NewsListing.objects.filter(page_id__in=ids).values_list(
        "page_id", "language", "translation_key", "url_path"
    )
    removals = [
        NewsRemoval(page_id=pk, language=language, translation_key=key, url_path=url_path, removed_at=now)
        for pk, language, key, url_path in listed
    ]
    if removals:
        NewsRemoval.objects.bulk_create(
            removals,
            update_conflicts=True,
            unique_fields=["page_id"],
            update_fields=["language", "translation_key", "url_path", "removed_at"],
        )
    NewsListingDelegation.objects.filter(news_id__in=ids).delete()
    NewsListingSearch.objects.filter(page_id__in=ids).delete()
    NewsListing.objects.filter(page_id__in=ids).delete()


def lock(pks):
    """Lock the page rows of ``pks`` until the transaction ends, in primary key order (two
    writers locking overlapping sets never deadlock). ``NO KEY``: foreign keys to the pages
    (a news item's related delegations) still take their share lock meanwhile. Outside a
    transaction there is nothing to hold a lock for: nothing is done."""
    connection = connections[router.db_for_write(Page)]
    if not pks or not connection.in_atomic_block:
        return
    features = connection.features
    rows = Page.objects.filter(pk__in=list(pks)).order_by("pk")
    list(rows.select_for_update(no_key=features.has_select_for_no_key_update).values_list("pk", flat=True))


def news_under(paths):
    """Ids of the news pages under the tree ``paths`` (the pages themselves included)."""
    match = Q(pk__in=[])
    for path in paths:
        match |= Q(path__startswith=path)
    return list(NewsPage.objects.filter(match).order_by("pk").values_list("pk", flat=True))


def _sync(batch, texts):
    """Make the stored rows of the news ``batch`` (locked) what the page tree calls for, writing
    only what differs; the search vectors of ``texts`` (news saved: their texts may have
    changed) and of every row written."""
    found = expected(batch)
    have = _stored(batch)
    gone = [pk for pk in batch if pk in have and pk not in found]
    if gone:
        forget(gone)
    changed = {
        pk: row for pk, row in found.items() if pk not in have or _signature(*row) != _signature(*have[pk])
    }
    stale = [(pk, key) for pk in changed if pk in have for key in set(have[pk][1]) - set(found[pk][1])]
    if stale:
        match = Q(pk__in=[])
        for pk, key in stale:
            match |= Q(news_id=pk, delegation_key=key)
        NewsListingDelegation.objects.filter(match).delete()
    _upsert(changed)
    vectors = {pk for pk in found if pk in changed or pk in texts}
    write_vectors({pk: found[pk][0].language for pk in sorted(vectors)})


def refresh(ids=None, paths=()):
    """Rewrite the rows of the news ``ids`` and of every news page under ``paths`` (tree paths,
    the page itself included). Pages that are gone or no longer listable lose their row."""
    texts = set(ids or ())
    with transaction.atomic():
        pks = sorted(texts | set(news_under(paths) if paths else ()))
        for start in range(0, len(pks), BATCH):
            batch = pks[start : start + BATCH]
            lock(batch)
            _sync(batch, texts)


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
        # A rebuild lists nothing anew: rows that were there keep when they were made (else the
        # next ``news/?changed_since`` would hand a mirror every item again).
        listed_at = dict(NewsListing.objects.values_list("page_id", "listed_at"))
        NewsListingCount.objects.all().delete()
        NewsListingDelegation.objects.all().delete()
        NewsListingSearch.objects.all().delete()
        NewsListing.objects.all().delete()
        pks = list(NewsPage.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            found = expected(pks[start : start + BATCH])
            for pk, (listing, _keys) in found.items():
                if pk in listed_at:
                    listing.listed_at = listed_at[pk]
            _upsert(found)
            write_vectors({pk: listing.language for pk, (listing, _keys) in found.items()})
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
        want = expected(batch)
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
