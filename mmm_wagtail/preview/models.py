"""``PreviewState``: what a preview token shows, stored until the token expires.

A token in a URL cannot carry a whole page; the database can, and every process of the site
sees it (a per-process cache would not). Rows are deleted once no token can reach them.
"""

import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import conf


class PreviewState(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    # The previewed object's primary key; blank for an object never saved.
    object_id = models.CharField(max_length=255, blank=True)
    # ``serializable_data()`` of the object, as Wagtail stores a revision's content.
    content = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "mmm_wagtail"
        verbose_name = _("preview state")
        verbose_name_plural = _("preview states")

    def __str__(self):
        return f"{self.content_type.model} {self.object_id or 'new'} ({self.created_at:%H:%M:%S})"

    @classmethod
    def capture(cls, obj):
        """Store ``obj`` (unsaved changes included) and forget states no token can reach."""
        cls.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=max_age())).delete()
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id="" if obj.pk is None else str(obj.pk),
            content=obj.serializable_data(),
        )

    def as_object(self):
        """The previewed object, rebuilt in memory (child objects and many-to-many included)."""
        model = self.content_type.model_class()
        obj = model.from_serializable_data(self.content, check_fks=False, strict_fks=False)
        if not self.object_id:
            obj.pk = None
        return obj


def max_age():
    return conf.get("PREVIEW_TOKEN_MAX_AGE")
