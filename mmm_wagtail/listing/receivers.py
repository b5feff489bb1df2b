"""Every change that can alter a listing, and the rows it rewrites (in the same transaction).

- a news page saved or published: its own row; unpublished (scheduled expiry included):
  its row dropped. ``page_published`` comes after modelcluster has written
  the page's related delegations, ``post_save`` before; both are needed;
- a page moved: every news row under it (tree and URL paths, parent delegation);
- a slug changed: Wagtail rewrites the descendants' URL paths after ``post_save``, and
  announces it with ``page_slug_changed`` once committed; ``page_published`` covers the
  usual case (a published slug change) within the transaction;
- a view restriction added, changed or removed: every news row under its page;
- a page deleted: the rows go with it (``on_delete=CASCADE``), and once its news page is gone
  its rows are dropped again: the deletion also deletes view restrictions, whose
  ``post_delete`` refreshes the subtree while the collector is still at work, and could
  write a row the collector has already passed (a row of a deleted page; a foreign key
  violation at commit).

- a tag renamed: the search vectors of the listed news carrying it (tag names are searched);
- a delegation or landing page published, unpublished (an editor's, or ``publish_scheduled``
  at its expiry), scheduled or otherwise saved with a new ``live``/``expired``/``go_live_at``/
  ``expire_at``: every news row under it (a subtree is as visible as its parents; Wagtail's
  unpublish leaves the children live). Ancestors of other page types (a host site's home
  page) are read by every query but their changes reach the rows only through
  ``rebuild_news_listing``.

Locks (``rows.lock``): a change of a subtree's visibility (container page saved, view
restriction, move) locks the news under it in ``pre_save``/``pre_delete``/``pre_page_move``,
before the change's own ``UPDATE`` and before the package's cache receivers lock the
version counter (``cache.versions.bump``), so it never waits for a news item's publish while
holding what that publish waits for.

Translations and synchronisation by wagtail-localize are page saves and publishes.
Site root changes need nothing: listings scope rows by the roots at query time.

Inside ``deferred()`` a news page's save, publish and unpublish leave its row alone: a bulk
writer (the WordPress import) then calls ``rows.refresh`` once for the pages it wrote.
"""

from contextlib import contextmanager

from asgiref.local import Local
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move, pre_page_move

from ..basepage import Page, only_bookkeeping
from ..models import DelegationIndexPage, DelegationPage, NewsListing, NewsListingSearch, NewsPage
from ..models.pages import NewsPageTag
from .rows import forget, lock, news_under, refresh, resync_url_paths
from .search import write_vectors

# The package's page types that can hold news (their visibility is their subtree's).
CONTAINERS = (DelegationIndexPage, DelegationPage)
# The fields of a page whose change can change what a reader may get below it.
VISIBILITY_FIELDS = {"live", "expired", "go_live_at", "expire_at"}


_deferred = Local()


@contextmanager
def deferred():
    """News pages saved, published or unpublished inside keep their rows as they were; the
    caller refreshes them (``rows.refresh``) once it is done. Other changes keep their upkeep."""
    previous = getattr(_deferred, "on", False)
    _deferred.on = True
    try:
        yield
    finally:
        _deferred.on = previous


def _deferring():
    return getattr(_deferred, "on", False)


def _page_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if only_bookkeeping(update_fields):  # a draft saved, a lock: readers get what they got
        return
    if isinstance(instance, NewsPage):
        if not _deferring():
            refresh(ids=[instance.pk])
    elif isinstance(instance, Page) and kwargs["signal"] is page_published:
        # Publishing a delegation may have changed its slug, hence its news' URL paths.
        resync_url_paths(instance.path)


def _unpublished(sender, instance, **kwargs):
    # Only drop the row: Wagtail also sends this from ``pre_delete`` of a live page, where
    # a refresh would write rows the deletion has already collected (and so leaves behind).
    if isinstance(instance, NewsPage) and not _deferring():
        forget([instance.pk])


def _deleted(sender, instance, **kwargs):
    # Sent after the news table's row is deleted: no refresh can find the page any more.
    forget([instance.pk])


def _subtree_changed(sender, instance, **kwargs):
    refresh(paths=[instance.path])


def _visibility_may_change(instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:  # a new page has no news under it yet
        return False
    return update_fields is None or bool(VISIBILITY_FIELDS & set(update_fields))


def _lock_subtree(sender, instance, **kwargs):
    """Before a change of the subtree's visibility: lock its news (``rows.lock``)."""
    page = instance.page if isinstance(instance, PageViewRestriction) else instance
    if isinstance(instance, PageViewRestriction) or _visibility_may_change(instance, **kwargs):
        lock(news_under([page.path]))


def _container_saved(sender, instance, **kwargs):
    if _visibility_may_change(instance, **kwargs):
        refresh(paths=[instance.path])


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(paths=[instance.page.path])


def _tag_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created or not NewsListingSearch.in_use():
        return  # no vectors to rewrite (a new tag is on no page; other databases keep none)
    tagged = NewsPageTag.objects.filter(tag=instance).values("content_object_id")
    listed = NewsListing.objects.filter(page_id__in=tagged).order_by("pk").values_list("pk", "language")
    write_vectors(dict(listed))


def connect():
    post_save.connect(_page_changed, sender=NewsPage, dispatch_uid="mmm_listing_news_saved")
    # Only a news page's own row, or the url paths of news under another page, can change.
    page_published.connect(_page_changed, dispatch_uid="mmm_listing_published")
    page_unpublished.connect(_unpublished, dispatch_uid="mmm_listing_unpublished")
    post_delete.connect(_deleted, sender=NewsPage, dispatch_uid="mmm_listing_news_deleted")
    post_page_move.connect(_subtree_changed, dispatch_uid="mmm_listing_moved")
    page_slug_changed.connect(_subtree_changed, dispatch_uid="mmm_listing_slug")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="mmm_listing_restricted")
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid="mmm_listing_tag_renamed")
    for model in CONTAINERS:
        name = model._meta.model_name
        pre_save.connect(_lock_subtree, sender=model, dispatch_uid=f"mmm_listing_lock_{name}")
        post_save.connect(_container_saved, sender=model, dispatch_uid=f"mmm_listing_visibility_{name}")
    for model in (*CONTAINERS, NewsPage):
        name = model._meta.model_name
        pre_page_move.connect(_lock_subtree, sender=model, dispatch_uid=f"mmm_listing_lock_move_{name}")
    pre_save.connect(_lock_subtree, sender=PageViewRestriction, dispatch_uid="mmm_listing_lock_restricted")
    pre_delete.connect(
        _lock_subtree, sender=PageViewRestriction, dispatch_uid="mmm_listing_lock_unrestricted"
    )
    post_delete.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="mmm_listing_unrestricted"
    )
