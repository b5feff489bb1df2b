"""What earlier runs imported from one export: ``WordPressImport`` rows read once per run."""

from django.contrib.contenttypes.models import ContentType

from ..models import WordPressImport

__all__ = ["Records"]


class Records:
    def __init__(self, export_key):
        self.export = export_key
        rows = WordPressImport.objects.filter(export=export_key).select_related("content_type")
        self.rows = {(row.kind, row.key): row for row in rows}

    def get(self, kind_key):
        return self.rows.get(kind_key)

    def remember(self, kind, key, obj, content_hash="", revision=None):
        row = self.rows.get((kind, key))
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        if row is None:
            row = WordPressImport(export=self.export, kind=kind, key=key)
        row.content_type = content_type
        row.object_id = obj.pk
        row.content_hash = content_hash
        row.revision = revision
        row.save()
        self.rows[(kind, key)] = row
        return row
