"""What the package's page types share: the site layout their templates extend, and an end on
``expire_at`` that does not wait for ``publish_scheduled``."""

from django.http import Http404
from django.utils import timezone
from wagtail.models import Page

from .. import conf

__all__ = ["ExpiringPage", "with_layout"]


def with_layout(context):
    """``context`` with the site layout the package's templates extend (``templates/mmm_wagtail/base.html``):
    ``{% extends %}`` takes a template name from the context, not from a tag."""
    context["mmm_wagtail_base_template"] = conf.get("BASE_TEMPLATE")
    return context


class ExpiringPage(Page):
    """A page that answers 404 from the moment its ``expire_at`` passes.

    Wagtail only unpublishes an expired page when ``publish_scheduled`` runs; until then
    its own URL would keep serving what every listing and the API already hide.
    """

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        if self.expire_at is not None and self.expire_at <= timezone.now():
            raise Http404
        return super().serve(request, *args, **kwargs)
