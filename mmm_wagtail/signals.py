"""What other parts of the package call when content changes, and the Site memo's receiver.

``content_changed(tags, event)`` (``cache.changes``) bumps the versions of the dependency
tags a change touches, in its transaction, and purges and sends webhooks after the commit.
The receivers that call it live in ``cache.receivers``.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from .cache.changes import content_changed
from .sites import forget_sites

__all__ = ["content_changed", "connect"]


def _site_changed(sender, instance, **kwargs):
    forget_sites()


def connect():
    from .cache import receivers

    receivers.connect()
    post_save.connect(_site_changed, sender=Site, dispatch_uid="mmm_wagtail_sites_saved")
    post_delete.connect(_site_changed, sender=Site, dispatch_uid="mmm_wagtail_sites_deleted")
