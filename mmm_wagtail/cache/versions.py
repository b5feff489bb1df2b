"""Versions of dependency tags, shared by every process through the database.

A cached response records the version of the counter read *before* it was built and the
tags it depends on. It is still good while no tag of it has a newer version. A change
bumps its tags inside the transaction that makes the change, so readers see the new
content and the new versions together (never a new version with old content, which would
cache the old content as fresh). ``bump`` must run after the rows it describes are written
(after ``post_save`` *and* after many-to-many writes, see ``receivers.py``).

Scheduled changes do not write anything: ``go_live_at`` arriving or ``expire_at`` passing
changes what ``queries.current`` returns at that moment. ``snapshot`` reports the next
such moment, so a response is cached no longer than that.
"""

import dataclasses
import datetime
import functools
import threading

from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from .dependency_tags import ALL

COUNTER = "*"
# The tag every response depends on, bumped by structural changes (a Site among them): the
# per-process memo of hosts (``cache.hosts``) is as fresh as it.
STRUCTURE = ALL
ONE_SECOND = datetime.timedelta(seconds=1)


@dataclasses.dataclass(frozen=True)
class Snapshot:
    version: int
    # The version of ``STRUCTURE`` (0 before its first change).
    structure_version: int
    # The newest change a response built now can show: a bump or a scheduled time passed.
    last_modified: datetime.datetime | None
    # The next scheduled change of any live page, or None.
    valid_until: datetime.datetime | None


@functools.cache
def _model():
    from ..models import ContentTag

    return ContentTag


def ensure_counter(using="default", **kwargs):
    """Create the counter's row after ``migrate`` (and after a test's ``flush``) if it is missing.

    Without it, the very first change of a database, rolled back, would leave no row to be
    "older than" an entry or a host's Site answer made inside that transaction at version 1:
    they would look fresh for good (``changed_since``). With the row at version 0, they are
    stale at their next check. ``changed_at`` starts as the moment of creation: no change a
    response can show is older than the package's tables.
    """
    model = _model()
    if router.allow_migrate_model(using, model):
        model.objects.using(using).get_or_create(
            tag=COUNTER, defaults={"version": 0, "changed_at": timezone.now()}
        )


def bump(tags):
    """Give ``tags`` a new version, in the current transaction (or its own)."""
    model = _model()
    tags = sorted(set(tags) - {COUNTER})
    using = router.db_for_write(model)
    with transaction.atomic(using=using):
        # Locking the counter row first serialises concurrent bumps: versions grow in
        # commit order and two bumps never deadlock on tag rows.
        counter = model.objects.using(using).filter(tag=COUNTER)
        previous = counter.select_for_update().values_list("changed_at", flat=True).first()
        now = timezone.now()
        if previous is not None:
            # HTTP dates count whole seconds: two changes within one second would share a
            # Last-Modified, and If-Modified-Since would earn the second a stale 304. Each
            # change takes a later second (a burst of changes runs ahead of the clock).
            now = max(now, previous.replace(microsecond=0) + ONE_SECOND)
        if not counter.update(version=F("version") + 1, changed_at=now):
            # No row: its tables were emptied without ``post_migrate`` (``ensure_counter``).
            try:
                with transaction.atomic(using=using):
                    model.objects.using(using).create(tag=COUNTER, version=1, changed_at=now)
            except IntegrityError:  # created meanwhile by another process
                counter.update(version=F("version") + 1, changed_at=now)
        version = counter.values_list("version", flat=True).get()
        model.objects.using(using).bulk_create(
            [model(tag=tag, version=version, changed_at=now) for tag in tags],
            update_conflicts=True,
            unique_fields=["tag"],
            update_fields=["version", "changed_at"],
        )
    forget_schedule()
    return version, now


def extend(tags, bumped):
    """Give ``tags`` the version of an earlier ``bump`` of the same, still open, savepoint:
    they commit together, so readers see them change together."""
    model = _model()
    version, changed_at = bumped
    model.objects.using(router.db_for_write(model)).bulk_create(
        [model(tag=tag, version=version, changed_at=changed_at) for tag in sorted(tags)],
        update_conflicts=True,
        unique_fields=["tag"],
        update_fields=["version", "changed_at"],
    )


def changed_since(tags, version, structure_since=None):
    """Whether an entry made at ``version`` with ``tags`` is stale: one indexed query.

    Stale when one of its tags has a newer version, or when the counter is older than
    ``version`` (the entry was built inside a transaction whose bump was rolled back).
    ``structure_since``, the stamp of the host's Site answer the entry was found with
    (``cache.hosts``), asks the same of that answer in the same query: stale when
    ``STRUCTURE`` changed since it, or the counter is older than it.
    Django's own cursor (``connection.cursor()``, its documented raw SQL API, errors and
    transactions as for any query): this runs on every hit, where building the same query
    through the ORM cost ten times the query itself (docs/development.md, "Measuring").
    """
    model = _model()
    connection = connections[router.db_for_read(model)]
    oldest_counter = version if structure_since is None else max(version, structure_since)
    conditions = ["(tag = %s AND version < %s)"]
    arguments = [COUNTER, oldest_counter]
    if tags:
        conditions.append(f"(version > %s AND tag IN ({', '.join(['%s'] * len(tags))}))")
        arguments += [version, *tags]
    if structure_since is not None:
        conditions.append("(tag = %s AND version > %s)")
        arguments += [STRUCTURE, structure_since]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {' OR '.join(conditions)} LIMIT 1", arguments)
        return cursor.fetchone() is not None


def counter():
    """The counter's version now (0 before the first change), for a result stored with it."""
    model = _model()
    note_read()
    row = model.objects.using(router.db_for_read(model)).filter(tag=COUNTER).values_list("version", flat=True)
    return row.first() or 0


# Reads of the counter by this thread: a change merged into an earlier one of its
# transaction must bump again if this thread read the versions in between (``changes._Batch``).
_reads = threading.local()


def reads():
    return getattr(_reads, "count", 0)


def note_read():
    """Record that this thread read the counter's version (anything that stores a result
    with that version must call it: ``snapshot``, ``counter``, the stored listing counts)."""
    _reads.count = reads() + 1


# The next and last scheduled change, per process, for the counter version it was read at:
# recomputed after any bump (a publish may schedule something) or once due. One immutable
# tuple, swapped whole: threads read and replace it without a lock, never half of it.
_schedule = None


def forget_schedule():
    global _schedule
    _schedule = None


def snapshot():
    """The counter's version and the schedule, read before a response is built."""
    global _schedule
    model = _model()
    using = router.db_for_read(model)
    note_read()
    rows = {
        tag: (version, changed_at)
        for tag, version, changed_at in model.objects.using(using)
        .filter(tag__in=(COUNTER, STRUCTURE))
        .values_list("tag", "version", "changed_at")
    }
    version, changed_at = rows.get(COUNTER, (0, None))
    structure_version = rows.get(STRUCTURE, (0, None))[0]
    now = timezone.now()
    schedule = _schedule
    if (
        schedule is None
        or schedule[0] != (version, changed_at)
        or (schedule[1] is not None and schedule[1] <= now)
    ):
        schedule = _schedule = ((version, changed_at), *_scheduled_changes(now))
    _, upcoming, passed = schedule
    last = max((t for t in (changed_at, passed) if t is not None), default=None)
    return Snapshot(
        version=version, structure_version=structure_version, last_modified=last, valid_until=upcoming
    )


def _scheduled_changes(now):
    from ..basepage import Page

    times = Page.objects.filter(live=True).aggregate(
        next_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
        next_expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
        last_live=Max("go_live_at", filter=Q(go_live_at__lte=now)),
        last_expiry=Max("expire_at", filter=Q(expire_at__lte=now)),
    )
    upcoming = [t for t in (times["next_live"], times["next_expiry"]) if t is not None]
    passed = [t for t in (times["last_live"], times["last_expiry"]) if t is not None]
    return min(upcoming, default=None), max(passed, default=None)
