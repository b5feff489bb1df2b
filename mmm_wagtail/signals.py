"""Signal receivers of the package (connected in ``apps.MMMWagtailConfig.ready``).

Any change an API response may show replaces the API's content version, which
invalidates every cached response (see ``api/caching.py``), and asks Wagtail's frontend
cache, when installed, to purge the API's listings and the changed page's detail.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .api.caching import bump_content_version, purge_frontend_cache
from .models import NewsFeed, TagTranslation
from .sites import forget_sites


def content_changed(pages=()):
    bump_content_version()
    purge_frontend_cache(pages)


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, instance, **kwargs):
    content_changed([instance])


@receiver(post_page_move)
def _page_moved(sender, instance, **kwargs):
    content_changed([instance])


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        content_changed([instance])


@receiver(post_save, sender=NewsFeed)
@receiver(post_delete, sender=NewsFeed)
@receiver(post_save, sender=TagTranslation)
@receiver(post_delete, sender=TagTranslation)
@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _snippet_changed(sender, instance, **kwargs):
    content_changed()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _site_changed(sender, instance, **kwargs):
    forget_sites()


def _media_changed(sender, instance, **kwargs):
    content_changed()


# Images and documents are swappable: connect to the models the site uses.
for _model in (get_image_model(), get_document_model()):
    _uid = f"mmm_wagtail_api_{_model._meta.label}"
    post_save.connect(_media_changed, sender=_model, dispatch_uid=f"{_uid}_save")
    post_delete.connect(_media_changed, sender=_model, dispatch_uid=f"{_uid}_delete")
