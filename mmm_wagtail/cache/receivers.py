"""The receivers that turn changes into ``content_changed`` calls, connected by
``connect()`` (``apps.MMMWagtailConfig.ready``) with explicit senders, as Wagtail's own
``frontend_cache`` does: our page types (and every concrete subclass a site app defines),
our snippets and models, taggit's ``Tag``, Wagtail's ``Site``, ``Locale``,
``PageViewRestriction`` and the site's image and document models. A save or deletion of any
other model runs nothing of ours (Django keeps its fast delete for them), and a page of
another type (the site's blog) bumps nothing and sends no webhook, unless it is an ancestor
of our pages that moves or changes its slug (their URLs change with it).

Inside ``deferred()`` our pages' saves, publishes and unpublishes make no change each: a bulk
writer (the WordPress import) makes one change of every answer when the block ends.
"""

from contextlib import contextmanager, suppress

from asgiref.local import Local
from django.apps import apps
from django.db import DatabaseError
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from ..basepage import Page, only_bookkeeping
from ..models import PAGE_TYPES, NewsFeed, TagTranslation
from . import dependency_tags
from .changes import content_changed


def touched_by_page(page):
    """The dependency tags a change to ``page`` touches: its own and its translations' (their
    details list each other), and the lists of its language."""
    siblings = Page.objects.filter(translation_key=page.translation_key).values_list("pk", flat=True)
    language = Locale.objects.filter(pk=page.locale_id).values_list("language_code", flat=True).first()
    found = {dependency_tags.page(page.pk), *(dependency_tags.page(pk) for pk in siblings)}
    if language:
        found.add(dependency_tags.lists(language))
    return found


_deferred = Local()


@contextmanager
def deferred():
    """Our pages saved, published or unpublished inside change nothing one by one: their events
    are collected, and made one change of every answer (``dependency_tags.ALL``) when the
    outermost block ends, in the transaction the block runs in (a bulk writer's: the import)."""
    if getattr(_deferred, "events", None) is not None:
        yield
        return
    _deferred.events = events = []
    try:
        yield
    except BaseException:
        # What was written before the error may still be committed by the caller; a
        # transaction the error aborted rolls back with everything it held.
        with suppress(DatabaseError):
            _change_all(events)
        raise
    else:
        _change_all(events)
    finally:
        _deferred.events = None


def _change_all(events):
    for event in events:
        content_changed({dependency_tags.ALL}, event)  # one bump: the transaction's batch joins the events


def _held(event):
    """Whether ``deferred()`` collects this change (then it is made at the block's end)."""
    events = getattr(_deferred, "events", None)
    if events is None:
        return False
    if event not in events:
        events.append(event)
    return True


def _page_published(sender, instance, **kwargs):
    if not _held("page.published"):
        content_changed(touched_by_page(instance), "page.published")


def _page_unpublished(sender, instance, **kwargs):
    if not _held("page.unpublished"):
        content_changed(touched_by_page(instance), "page.unpublished")


def _page_saved(sender, instance, update_fields=None, **kwargs):
    # A live page saved outside publishing (an import creating live pages, a script
    # setting go_live_at or expire_at): readers may see it at once, or at its new
    # scheduled time, which the response caches learn from the bump.
    if not instance.live:
        return
    if only_bookkeeping(update_fields):  # a draft saved, a lock: readers see nothing of them
        return
    if not _held("page.changed"):
        content_changed(touched_by_page(instance), "page.changed")


def _page_deleted(sender, instance, **kwargs):
    content_changed({dependency_tags.ALL}, "page.deleted")


def holds_our_pages(page):
    """Whether ``page`` is one of ours or an ancestor of one (a path prefix: one indexed query)."""
    if issubclass(page.specific_class or type(page), PAGE_TYPES):
        return True
    return Page.objects.filter(path__startswith=page.path, depth__gt=page.depth).type(*PAGE_TYPES).exists()


def _subtree_moved(sender, instance, **kwargs):
    # A move or a slug change changes the URLs of a whole subtree.
    if holds_our_pages(instance):
        content_changed({dependency_tags.ALL}, "page.moved")


def _other_page_changed(sender, instance, **kwargs):
    # A page of another type (the site's blog) is listed only by ``sitemap/``.
    if not isinstance(instance, PAGE_TYPES) and not issubclass(instance.specific_class or Page, PAGE_TYPES):
        content_changed({dependency_tags.SITEMAP}, "sitemap.changed")


def touched_by_feed(feed):
    """The dependency tags a change to ``feed`` touches: its own and its translations', and the
    feeds of their languages."""
    siblings = NewsFeed.objects.filter(translation_key=feed.translation_key).values_list("pk", "locale_id")
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    found = {dependency_tags.feed(feed.pk), dependency_tags.feeds(languages.get(feed.locale_id))}
    for pk, locale_id in siblings:
        found |= {dependency_tags.feed(pk), dependency_tags.feeds(languages.get(locale_id))}
    return found


def _feed_changed(sender, instance, **kwargs):
    content_changed(touched_by_feed(instance), "feed.changed")


def _feed_relations_changed(sender, instance, action, **kwargs):
    # modelcluster writes a feed's delegations and tags after its post_save: outside a
    # transaction, a request in between would cache the old selection under the new version.
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, NewsFeed):
        content_changed(touched_by_feed(instance), "feed.changed")


def _tag_changed(sender, instance, **kwargs):
    content_changed({dependency_tags.TAG_NAMES}, "tags.changed")


def _structure_changed(sender, instance, **kwargs):
    content_changed({dependency_tags.ALL}, "site.changed")


def _media_changed(sender, instance, **kwargs):
    content_changed({dependency_tags.ALL}, "media.changed")


def our_page_types():
    """Our page types and every subclass of them the project's apps define (proxies too:
    Django sends their signals with the proxy as sender)."""
    return tuple(model for model in apps.get_models() if issubclass(model, PAGE_TYPES))


def _on_save_and_delete(receiver, models, name):
    for model in models:
        uid = f"mmm_wagtail_cache_{name}_{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}_delete")


def connect():
    """Connect every receiver to its senders (once the app registry is ready)."""
    for model in our_page_types():
        uid = f"mmm_wagtail_cache_page_{model._meta.label}"
        post_save.connect(_page_saved, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_page_deleted, sender=model, dispatch_uid=f"{uid}_delete")
        page_published.connect(_page_published, sender=model, dispatch_uid=f"{uid}_published")
        page_unpublished.connect(_page_unpublished, sender=model, dispatch_uid=f"{uid}_unpublished")
    # Any page type: Wagtail sends these for the page moved or renamed, which may be an
    # ancestor of ours (``holds_our_pages`` decides; Wagtail's signals, not a model's save).
    post_page_move.connect(_subtree_moved, dispatch_uid="mmm_wagtail_cache_moved")
    page_slug_changed.connect(_subtree_moved, dispatch_uid="mmm_wagtail_cache_slug")
    # Wagtail's publish signals (not a model's save) and the page row's deletion, for
    # ``sitemap/``: no receiver on the host's other models, whose fast delete stays.
    page_published.connect(_other_page_changed, dispatch_uid="mmm_wagtail_cache_sitemap_published")
    page_unpublished.connect(_other_page_changed, dispatch_uid="mmm_wagtail_cache_sitemap_unpublished")
    post_delete.connect(_other_page_changed, sender=Page, dispatch_uid="mmm_wagtail_cache_sitemap_deleted")
    _on_save_and_delete(_feed_changed, [NewsFeed], "feed")
    for field in ("delegations", "tags"):
        m2m_changed.connect(
            _feed_relations_changed,
            sender=NewsFeed._meta.get_field(field).remote_field.through,
            dispatch_uid=f"mmm_wagtail_cache_feed_{field}",
        )
    _on_save_and_delete(_tag_changed, [Tag, TagTranslation], "tags")
    _on_save_and_delete(_structure_changed, [PageViewRestriction, Site, Locale], "structure")
    # Images and documents are swappable: the models the site uses.
    _on_save_and_delete(_media_changed, {get_image_model(), get_document_model()}, "media")
    # Wagtail's redirects app is optional; ``redirects/`` lists its rows. A redirect changes
    # rarely and names paths of any page: it bumps ``mmm``, as a site change does.
    if apps.is_installed("wagtail.contrib.redirects"):
        from wagtail.contrib.redirects.models import Redirect

        _on_save_and_delete(_structure_changed, [Redirect], "redirect")
