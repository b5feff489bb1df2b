"""Translated names for taggit tags.

A tag is a language-neutral topic (its slug never changes); each locale may give it a
name and slug of its own. wagtail-localize copies a source page's tags to its
translations, so every translation shares the same tags and a filter on the tag works
in every language; only what readers see is translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel
from wagtail.models import Locale


class TagTranslation(models.Model):
    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="mmm_translations"
    )
    locale = models.ForeignKey(Locale, verbose_name=_("locale"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(
        _("name"), max_length=100, help_text=_("The tag as readers of this language see it.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        allow_unicode=True,
        help_text=_("Used in this language's addresses and filters, e.g. early-childhood."),
    )

    panels = [FieldPanel("tag"), FieldPanel("locale"), FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("tag translation")
        verbose_name_plural = _("tag translations")
        constraints = [
            models.UniqueConstraint(fields=["tag", "locale"], name="mmm_tag_translation_unique_locale"),
            models.UniqueConstraint(fields=["locale", "slug"], name="mmm_tag_translation_unique_slug"),
        ]
        ordering = ["tag__name", "locale__language_code"]

    def __str__(self):
        return f"{self.tag.name} → {self.name} ({self.locale.language_code})"
