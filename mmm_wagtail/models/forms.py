"""The news page's admin form: only the news item's own language's delegations offered, and what
the public sees (a body or an excerpt, an image description) required on publish."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .. import conf
from ..teasers import news_teaser

__all__ = ["NewsPageForm"]


class NewsPageForm(WagtailAdminPageForm):
    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        # Offer only the delegations of the news item's own language, but the parent:
        # it always lists the item already.
        locale_id = self.instance.locale_id or (parent_page and parent_page.locale_id)
        field = self.fields.get("related_delegations")
        if field is not None and locale_id:
            # The field's own model (DelegationPage): no import of pages.py, which uses this form.
            queryset = field.queryset.model.objects.filter(locale_id=locale_id).order_by("path")
            if parent_page is not None:
                queryset = queryset.exclude(pk=parent_page.pk)
            field.queryset = queryset

    def clean(self):
        cleaned_data = super().clean()
        # Saving a draft defers Wagtail's required-field checks; these two are about what
        # the public sees, so they apply where those do: on publish and submit.
        if self.is_deferred_validation:
            return cleaned_data
        body = cleaned_data.get("body")
        raw_body = list(body.get_prep_value()) if body is not None else []
        if "body" not in self.errors and not news_teaser(
            cleaned_data.get("excerpt") or "", raw_body, conf.get("TEASER_LENGTH")
        ):
            # A title and a date alone make a card with an empty teaser and an empty page.
            self.add_error(
                "body",
                _("Write the news before publishing it: add a paragraph to the body, or an excerpt."),
            )
        image = cleaned_data.get("image")
        if image is not None and not (getattr(image, "description", "") or "").strip():
            # Wagtail would fall back to the image's title, usually its file name.
            self.add_error(
                "image",
                _(
                    "This image has no description, which cards, pages, the API and the feeds use "
                    'as its alternative text. Describe it in Images → "%(title)s" → Description, '
                    "then publish."
                )
                % {"title": image.title},
            )
        return cleaned_data
