"""Changes: ``content_changed(tags, event)`` bumps the versions of the dependency tags a
change touches, inside the transaction that makes it, and after its commit asks Wagtail's
frontend cache to purge them (``purge``) and sends the webhooks (``webhooks.delivery``),
once for all the changes of a transaction (a publish is a ``post_save`` and a
``page_published``; a subtree deletion one ``post_delete`` per page).
"""

import threading

from django.db import router, transaction

from ..models import ContentTag
from ..webhooks import delivery as webhooks
from . import versions
from .purge import purge
from .versions import bump


class _Batch:
    """The changes of one transaction: one delivery (and one purge) after the commit, and
    as few bumps as correctness allows."""

    def __init__(self):
        self.tags = set()
        self.events = []
        self.flushed = False
        self.callbacks = []
        # The last counter bump: its version, the savepoints open when it was made, the tags
        # given that version, and this thread's version reads then.
        self.version = None
        self.scope = None
        self.bumped = set()
        self.reads = None

    def callback(self):
        """A new ``on_commit`` callback flushing the batch; the first to run sends it all."""

        def flush():
            if not self.flushed:
                self.flushed = True
                _after_commit(self.tags, self.events)

        self.callbacks.append(flush)
        return flush

    def bump(self, changed_tags, scope):
        """Bump what this change needs: nothing already bumped in a savepoint still enclosing
        this change; new tags join that bump's version; else a bump of its own."""
        enclosing = None not in (self.scope, scope) and scope[: len(self.scope)] == self.scope
        if enclosing and self.reads == versions.reads():
            missing = changed_tags - self.bumped
            if missing:
                versions.extend(missing, self.version)
                self.bumped |= missing
            return
        # No bump yet, or made in a savepoint since released or rolled back, or this thread
        # read the versions since (a reader inside the transaction must see this change).
        self.version = bump(changed_tags)
        self.scope, self.bumped, self.reads = scope, set(changed_tags), versions.reads()


_batches = threading.local()

# What this module reads of Django's connection, none of it public API: the callbacks still to
# run after the commit (a callback is dropped with the savepoint or transaction it was
# registered in) and the savepoints open now. A Django without them gets the fallback: each
# change its own bump and its own delivery after the commit (Django's public ``on_commit``
# alone), correct but not coalesced per transaction.
CONNECTION_INTERNALS = ("run_on_commit", "savepoint_ids")


def _tracks_transactions(connection):
    return all(hasattr(connection, name) for name in CONNECTION_INTERNALS)


def _pending_batch(connection):
    """This thread's batch still waiting for the commit, if any (see ``CONNECTION_INTERNALS``)."""
    batch = getattr(_batches, connection.alias, None)
    if batch is None or batch.flushed:
        return None
    callbacks = {id(callback) for callback in batch.callbacks}
    for entry in connection.run_on_commit:
        if isinstance(entry, tuple) and any(id(part) in callbacks for part in entry):
            return batch
    return None


def content_changed(changed_tags, event):
    """Bump ``changed_tags`` now (in the transaction making the change); purge and send
    webhooks after the commit, once for all the changes of a transaction."""
    changed_tags = set(changed_tags)
    connection = transaction.get_connection(router.db_for_write(ContentTag))
    if not connection.in_atomic_block:
        # Its own transaction, committed as soon as bump returns.
        bump(changed_tags)
        _after_commit(changed_tags, [event])
        return
    tracked = _tracks_transactions(connection)
    batch = _pending_batch(connection) if tracked else None
    if batch is None:
        batch = _Batch()
        setattr(_batches, connection.alias, batch)
    # Without the open savepoints, no bump is taken for an enclosing one: a bump of its own.
    batch.bump(changed_tags, tuple(connection.savepoint_ids) if tracked else None)
    batch.tags |= changed_tags
    if event not in batch.events:
        batch.events.append(event)
    # One callback per change, dropped with its savepoint; the first to run sends the
    # batch (a test capturing the callbacks of one change still sees it).
    transaction.on_commit(batch.callback(), using=connection.alias)


def _after_commit(changed_tags, events):
    purge(changed_tags)
    webhooks.send(events, changed_tags)
