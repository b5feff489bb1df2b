"""Translated names for taggit tags.

A tag is a language-neutral topic (its canonical slug never changes); each locale may give
it a name and slug of its own. wagtail-localize copies a source page's tags to its
translations, so every translation shares the same tag ids and a filter on the tag works
in every language; only what readers see is translated. See docs/tags.md for the design.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel
from wagtail.models import Locale


class TagTranslation(models.Model):
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("tag"),
        on_delete=models.CASCADE,
        related_name="mmm_translations",
        help_text=_("The tag as editors type it on news items, e.g. petite enfance."),
    )
    locale = models.ForeignKey(
        Locale,
        verbose_name=_("locale"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The language readers see this name in."),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("The tag as readers of this language see it, e.g. early childhood."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        allow_unicode=True,
        blank=True,
        help_text=_(
            "Used in this language's addresses and filters, e.g. early-childhood. "
            "Leave blank to make it from the name."
        ),
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

    def clean(self):
        super().clean()
        self.name = self.name.strip()
        if not self.slug and self.name:
            self.slug = slugify(self.name, allow_unicode=True)
            if not self.slug:
                raise ValidationError({"slug": _("This name gives an empty slug: please enter one.")})
        # A filter value names one tag: a translated slug must not be another tag's own slug.
        if self.slug and self.tag_id:
            clash = Tag.objects.filter(slug=self.slug).exclude(pk=self.tag_id).first()
            if clash is not None:
                raise ValidationError(
                    {
                        "slug": _("%(slug)s is already the slug of the tag “%(tag)s”.")
                        % {
                            "slug": self.slug,
                            "tag": clash.name,
                        }
                    }
                )
