"""A site's own base page model (Wagtail 8's ``WAGTAIL_PAGE_MODEL``), set up as Wagtail's "Defining custom
base page models" says: an app holding only the base page, its migrations running before Wagtail's."""

from django.db import models
from wagtail.models import AbstractPage


class BasePage(AbstractPage):
    category = models.CharField(max_length=100, blank=True)

    promote_panels = AbstractPage.promote_panels + ["category"]
