"""Signal receivers of the package (connected in ``apps.MMMWagtailConfig.ready``).

A change bumps the versions of the dependency tags it touches (``cache.tags``), inside
the transaction that makes it, so cached responses depending on them are rebuilt on their
next request in every process (``api/caching.py``). After the commit, a shared cache's
tokens of those tags are renewed (``cache/tokens.py``), Wagtail's frontend cache, when
configured, is asked to purge by tag or URL (``cache/purge.py``: a CDN that refetched
before the commit would cache the old content again) and webhooks are sent, once for all
the changes of a transaction (a publish is a ``post_save`` and a ``page_published``; a
subtree deletion one ``post_delete`` per page).
"""

import logging
import threading

from django.apps import apps
from django.db import router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .api.caching import per_process, shared_cache
from .cache import tags, tokens, versions
from .cache.purge import purge
from .cache.versions import bump
from .models import ContentTag, NewsFeed, TagTranslation
from .sites import forget_sites
from .webhooks import delivery as webhooks

logger = logging.getLogger("mmm_wagtail.cache")


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
        enclosing = self.scope is not None and scope[: len(self.scope)] == self.scope
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


def _pending_batch(connection):
    """This thread's batch still waiting for the commit, if any.

    A callback of a batch is dropped with the savepoint or transaction it was registered
    in: Django keeps the callbacks still to run in ``connection.run_on_commit``.
    """
    batch = getattr(_batches, connection.alias, None)
    if batch is None or batch.flushed:
        return None
    pending = getattr(connection, "run_on_commit", None) or ()
    callbacks = {id(callback) for callback in batch.callbacks}
    for entry in pending:
        if isinstance(entry, tuple) and any(id(part) in callbacks for part in entry):
            return batch
    return None


def content_changed(changed_tags, event):
    """Bump ``changed_tags`` now (in the transaction making the change); renew their tokens,
    purge and send webhooks after the commit, once for all the changes of a transaction."""
    changed_tags = set(changed_tags)
    connection = transaction.get_connection(router.db_for_write(ContentTag))
    if not connection.in_atomic_block:
        # Its own transaction, committed as soon as bump returns.
        bump(changed_tags)
        _after_commit(changed_tags, [event])
        return
    batch = _pending_batch(connection)
    if batch is None:
        batch = _Batch()
        setattr(_batches, connection.alias, batch)
    batch.bump(changed_tags, tuple(connection.savepoint_ids))
    batch.tags |= changed_tags
    if event not in batch.events:
        batch.events.append(event)
    # One callback per change, dropped with its savepoint; the first to run sends the
    # batch (a test capturing the callbacks of one change still sees it).
    transaction.on_commit(batch.callback(), using=connection.alias)


def _after_commit(changed_tags, events):
    cache = shared_cache()
    if cache is not None and not per_process(cache):
        try:
            tokens.renew(cache, changed_tags)
        except Exception:
            # Hits are checked against the database within RECHECK_SECONDS (api.caching).
            logger.exception("Could not renew the cache tokens of %s", sorted(changed_tags))
    purge(changed_tags)
    webhooks.send(events, changed_tags)


def page_tags(page):
    """A page's own tag and its translations' (their details list each other), and the
    listings of its language."""
    siblings = Page.objects.filter(translation_key=page.translation_key).values_list("pk", flat=True)
    language = Locale.objects.filter(pk=page.locale_id).values_list("language_code", flat=True).first()
    found = {tags.page(page.pk), *(tags.page(pk) for pk in siblings)}
    if language:
        found.add(tags.listing(language))
    return found


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, instance, **kwargs):
    event = "page.unpublished" if kwargs.get("signal") is page_unpublished else "page.published"
    content_changed(page_tags(instance), event)


# Saves that only record a draft or a lock: readers see nothing of them.
DRAFT_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}


@receiver(post_save)
def _page_saved(sender, instance, update_fields=None, **kwargs):
    # A live page saved outside publishing (an import creating live pages, a script
    # setting go_live_at or expire_at): readers may see it at once, or at its new
    # scheduled time, which the response caches learn from the bump.
    if not isinstance(instance, Page) or not instance.live:
        return
    if update_fields is not None and set(update_fields) <= DRAFT_FIELDS:
        return
    content_changed(page_tags(instance), "page.changed")


# A move changes the URLs of a whole subtree; a deletion may take one with it.
@receiver(post_page_move)
def _page_moved(sender, instance, **kwargs):
    content_changed({tags.ALL}, "page.moved")


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        content_changed({tags.ALL}, "page.deleted")


def feed_tags(feed):
    siblings = NewsFeed.objects.filter(translation_key=feed.translation_key).values_list("pk", "locale_id")
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    found = {tags.feed(feed.pk), tags.feeds(languages.get(feed.locale_id))}
    for pk, locale_id in siblings:
        found |= {tags.feed(pk), tags.feeds(languages.get(locale_id))}
    return found


@receiver(post_save, sender=NewsFeed)
@receiver(post_delete, sender=NewsFeed)
def _feed_changed(sender, instance, **kwargs):
    content_changed(feed_tags(instance), "feed.changed")


def _feed_relations_changed(sender, instance, action, **kwargs):
    # modelcluster writes a feed's delegations and tags after its post_save: outside a
    # transaction, a request in between would cache the old selection under the new version.
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, NewsFeed):
        content_changed(feed_tags(instance), "feed.changed")


for _field in ("delegations", "tags"):
    m2m_changed.connect(
        _feed_relations_changed,
        sender=NewsFeed._meta.get_field(_field).remote_field.through,
        dispatch_uid=f"mmm_wagtail_feed_{_field}",
    )


@receiver(post_save, sender=TagTranslation)
@receiver(post_delete, sender=TagTranslation)
@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
def _tag_changed(sender, instance, **kwargs):
    content_changed({tags.TAGS}, "tags.changed")


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=Locale)
@receiver(post_delete, sender=Locale)
def _structure_changed(sender, instance, **kwargs):
    content_changed({tags.ALL}, "site.changed")


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _site_changed(sender, instance, **kwargs):
    forget_sites()


def _media_changed(sender, instance, **kwargs):
    content_changed({tags.ALL}, "media.changed")


# Images and documents are swappable: connect to the models the site uses.
for _model in (get_image_model(), get_document_model()):
    _uid = f"mmm_wagtail_api_{_model._meta.label}"
    post_save.connect(_media_changed, sender=_model, dispatch_uid=f"{_uid}_save")
    post_delete.connect(_media_changed, sender=_model, dispatch_uid=f"{_uid}_delete")


# Wagtail's redirects app is optional; the API's redirects/ lists its rows. A redirect
# changes rarely and names paths of any page: it bumps ``mmm``, as a site change does.
if apps.is_installed("wagtail.contrib.redirects"):
    from wagtail.contrib.redirects.models import Redirect

    for _name, _signal in (("save", post_save), ("delete", post_delete)):
        _signal.connect(_structure_changed, sender=Redirect, dispatch_uid=f"mmm_wagtail_redirect_{_name}")
