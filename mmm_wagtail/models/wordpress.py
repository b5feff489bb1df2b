"""What the WordPress import (``mmm_wagtail.wordpress``) remembers of each object it made.

One row per WordPress object and export: the page, image, document or tag it became, a hash
of what was imported, and the page revision the import saved. A second run compares both to
tell what changed in WordPress from what an editor changed in Wagtail since.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["WordPressImport"]


class WordPressImport(models.Model):
    KINDS = [
        ("post", _("post")),
        ("attachment", _("attachment")),
        ("file", _("file")),
        ("term", _("term")),
    ]

    export = models.CharField(
        _("export"), max_length=255, help_text=_("The WordPress site the export came from (its base URL).")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    key = models.CharField(
        _("WordPress id"), max_length=255, help_text=_("A post or attachment id, a file path, a term.")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object = GenericForeignKey("content_type", "object_id")
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    # The revision the import saved: a page whose latest revision is another was edited since.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("WordPress import")
        verbose_name_plural = _("WordPress imports")
        constraints = [
            models.UniqueConstraint(fields=["export", "kind", "key"], name="mmm_wordpress_import_unique")
        ]

    def __str__(self):
        return f"{self.export} {self.kind} {self.key}"
