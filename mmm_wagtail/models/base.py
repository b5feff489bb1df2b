"""What the package's page types share: the site layout their templates extend, and pages that
answer 404 when a reader may not get them (``expire_at`` passed without ``publish_scheduled``,
or a hidden ancestor)."""

from django.db import models
from django.http import Http404

from .. import conf
from ..basepage import Page
from .querysets import online_q

__all__ = ["ExpiringPageMixin", "with_layout"]


def with_layout(context):
    """``context`` with the site layout the package's templates extend (``templates/mmm_wagtail/base.html``):
    ``{% extends %}`` takes a template name from the context, not from a tag."""
    context["mmm_wagtail_base_template"] = conf.get("BASE_TEMPLATE")
    return context


class ExpiringPageMixin(models.Model):
    """A page that answers 404 when the one rule (``querysets.online_q``: the page and each
    ancestor live, not expired, not scheduled for later) hides it.

    Wagtail only unpublishes an expired page when ``publish_scheduled`` runs, and its unpublish
    leaves the children of a page live; until then its own URL would keep serving what every
    listing and the API already hide. View restrictions are left to Wagtail's own check (it
    asks for a password or a login). Previews show the draft whatever its state.

    A mixin before the page model in a page type's bases, not a ``Page`` subclass: the page type
    then names its parent link itself (``page_ptr``), whichever page model the site uses
    (``basepage.Page``); an abstract page subclass would add Django's own, named after that model.
    """

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        if (
            not getattr(request, "is_preview", False)
            and not Page.objects.filter(online_q(), pk=self.pk).exists()
        ):
            raise Http404
        return super().serve(request, *args, **kwargs)
