"""What saving a news page sets off, put off to the end of an import run and done once.

An imported page is saved three times (created, its revision, published), and each save
updated Wagtail's search index, its reference index, the news listing and the response
caches: about half the import's time. Saves inside ``Upkeep.paused()`` skip the first three;
``Upkeep.catch_up()`` then does each once, for every page written (``Upkeep.run()``, around
the run's writes, calls it at the end, and holds the caches' changes for the whole run):

- the response caches: ``cache.receivers.deferred()``, then one change of every answer
  (its bump, and the purge and webhooks after the commit);

- the news listing: ``listing.receivers.deferred()``, then one ``listing.rows.refresh``;
- the search index: modelsearch's ``post_save_signal_handler`` (the receiver Wagtail's search
  connects for each indexed model) is disconnected from ``NewsPage`` with Django's
  ``Signal.disconnect`` while paused, then each auto-updated backend gets ``add_bulk`` of the
  pages read as ``update_index`` reads them (``get_indexed_objects``, their tags prefetched);
- the reference index: Wagtail's ``disable_reference_index_auto_update()``
  (``wagtail.signal_handlers``), then ``ReferenceIndex.create_or_update_for_object`` per page.

The two Wagtail parts are internals: each behind a feature check (``_search_receiver``,
``_reference_switch``); without it the saves keep their own upkeep (what a test forces) and
the catch-up does it once more, which changes nothing. The disconnection holds for the whole
process while paused: the import runs in a management command of its own.
"""

from contextlib import ExitStack, contextmanager

from django.db.models.signals import post_save
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends

from ..cache import receivers as cache_receivers
from ..listing import receivers as listing_receivers
from ..listing.rows import refresh
from ..models import NewsPage

__all__ = ["Upkeep"]


def _search_receiver():
    """modelsearch's save receiver (Wagtail 7.1+), or None."""
    try:
        from modelsearch.signal_handlers import post_save_signal_handler
    except ImportError:
        return None
    return post_save_signal_handler


def _reference_switch():
    """Wagtail's context manager that turns off the reference index's upkeep, or None."""
    try:
        from wagtail.signal_handlers import disable_reference_index_auto_update
    except ImportError:
        return None
    return disable_reference_index_auto_update


class Upkeep:
    def __init__(self):
        self.ids = set()

    @contextmanager
    def run(self):
        """The run's writes: the caches' changes held, everything caught up at the end."""
        with cache_receivers.deferred():
            yield
            self.catch_up()

    @contextmanager
    def paused(self, page):
        """Saves of ``page`` (a NewsPage) inside skip the three; ``catch_up`` does them."""
        with ExitStack() as stack:
            stack.enter_context(listing_receivers.deferred())
            switch = _reference_switch()
            if switch is not None:
                stack.enter_context(switch())
            receiver = _search_receiver()
            if receiver is not None and post_save.disconnect(receiver, sender=NewsPage):
                stack.callback(post_save.connect, receiver, sender=NewsPage)
            yield
            # After the block: a page created inside has its id only now.
            self.ids.add(page.pk)

    def catch_up(self):
        """The listing rows, search index entries and references of every page paused."""
        ids = sorted(pk for pk in self.ids if pk is not None)
        if not ids:
            return
        refresh(ids=ids)
        # The search index's own queryset (update_index's): the related fields it indexes (the
        # tags) prefetched, not read page by page.
        pages = list(NewsPage.get_indexed_objects().filter(pk__in=ids).order_by("pk"))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(NewsPage, pages)
        indexed = {page.pk for page in pages}
        if len(indexed) < len(ids):  # a model that leaves some out of the search index
            pages += NewsPage.objects.filter(pk__in=set(ids) - indexed)
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
