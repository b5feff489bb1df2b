"""A wagtail-localize ``TranslationSource`` for an imported page, its segments written in bulk.

``TranslationSource.get_or_create_from_instance`` extracts the source's segments (its strings,
rich text templates, overridable values) and writes each with a few ``get_or_create``: about 150
queries for one news post, more than half of a first import's. ``source_for`` makes the same
rows in about ten: the extraction is wagtail-localize's own (``extract_segments``), the rows are
looked up once per kind and the missing ones made with ``bulk_create``.

Only a source made here gets this: an existing source is returned as it is (as
``get_or_create_from_instance`` does). The rows must be the ones wagtail-localize would write,
which takes some of its internals (the hashes its models key strings, templates and contexts by,
the field path a context computes): ``_bulk_available`` checks they are there and, if not, the
import uses ``get_or_create_from_instance`` (tests/wordpress/test_sources.py runs both, and
checks that wagtail-localize's own ``refresh_segments`` finds nothing to change afterwards).
"""

import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail.models import Page

__all__ = ["source_for"]


def _bulk_available():
    """Whether this wagtail-localize has what the bulk writing relies on."""
    try:
        from wagtail_localize import models
        from wagtail_localize.segments.extract import extract_segments  # noqa: F401
        from wagtail_localize.segments.types import (  # noqa: F401
            OverridableSegmentValue,
            RelatedObjectSegmentValue,
            TemplateSegmentValue,
        )
    except ImportError:
        return False
    needed = {
        models.String: ("_get_data_hash", "locale", "data_hash", "data"),
        models.Template: ("BASE_UUID_NAMESPACE", "uuid", "template", "template_format", "string_count"),
        models.TranslationContext: (
            "_get_path_id",
            "get_field_path",
            "object",
            "path_id",
            "path",
            "field_path",
        ),
        models.StringSegment: ("source", "context", "order", "string", "attrs"),
        models.TemplateSegment: ("template",),
        models.RelatedObjectSegment: ("object",),
        models.OverridableSegment: ("data_json",),
    }
    present = all(hasattr(model, name) for model, names in needed.items() for name in names)
    return present and hasattr(models, "get_schema_version")


def source_for(page):
    """``page``'s ``TranslationSource`` (created, with its segments, if it has none)."""
    from wagtail_localize.models import TranslatableObject, TranslationSource

    instance = page.specific
    if not (_bulk_available() and isinstance(instance, Page)):
        return TranslationSource.get_or_create_from_instance(instance)[0]
    from wagtail_localize.models import get_schema_version

    obj, _created = TranslatableObject.objects.get_or_create_from_instance(instance)
    existing = TranslationSource.objects.filter(
        object_id=obj.translation_key, locale_id=instance.locale_id
    ).first()
    if existing is not None:
        return existing
    content_json = instance.to_json()
    source = TranslationSource.objects.create(
        object=obj,
        locale_id=instance.locale_id,
        specific_content_type=ContentType.objects.get_for_model(instance.__class__),
        object_repr=str(instance)[:200],
        content_json=content_json,
        schema_version=get_schema_version(instance._meta.app_label),
        last_updated_at=timezone.now(),
    )
    # wagtail-localize extracts from the page rebuilt from content_json (as_instance): the page
    # content_json was just serialised from holds the same content, without reading it back.
    _write_segments(source, instance)
    return source


def _write_segments(source, instance):
    """The rows ``source.refresh_segments()`` writes for a source that has none yet."""
    from wagtail_localize.models import (
        OverridableSegment,
        RelatedObjectSegment,
        String,
        StringSegment,
        Template,
        TemplateSegment,
        TranslatableObject,
        TranslationContext,
    )
    from wagtail_localize.segments.extract import extract_segments
    from wagtail_localize.segments.types import (
        OverridableSegmentValue,
        RelatedObjectSegmentValue,
        TemplateSegmentValue,
    )

    values = extract_segments(instance)
    templates = [value for value in values if isinstance(value, TemplateSegmentValue)]
    others = (TemplateSegmentValue, RelatedObjectSegmentValue, OverridableSegmentValue)
    strings = [value for value in values if not isinstance(value, others)]

    string_rows = _get_or_create(
        String,
        "data_hash",
        {
            String._get_data_hash(value.string.data): {
                "locale_id": source.locale_id,
                "data": value.string.data,
            }
            for value in strings
        },
        locale_id=source.locale_id,
    )
    template_rows = _get_or_create(
        Template,
        "uuid",
        {_template_uuid(Template, value): _template_fields(value) for value in templates},
    )
    contexts = _contexts(TranslationContext, source, instance, values)

    segments = {}  # model -> {identifying fields: unsaved segment}, as get_or_create would find them
    for value in values:
        context = contexts[value.path]
        if isinstance(value, TemplateSegmentValue):
            model = TemplateSegment
            fields = {"template_id": template_rows[_template_uuid(Template, value)].pk}
        elif isinstance(value, RelatedObjectSegmentValue):
            model = RelatedObjectSegment
            related, _created = TranslatableObject.objects.get_or_create(
                content_type=value.content_type, translation_key=value.translation_key
            )
            fields = {"object_id": related.pk}
        elif isinstance(value, OverridableSegmentValue):
            model = OverridableSegment
            fields = {"data_json": json.dumps(value.data, cls=DjangoJSONEncoder)}
        else:
            model = StringSegment
            fields = {
                "string_id": string_rows[String._get_data_hash(value.string.data)].pk,
                "attrs": json.dumps(value.attrs, cls=DjangoJSONEncoder),
            }
        fields.update(source_id=source.pk, context_id=context.pk, order=value.order)
        segments.setdefault(model, {}).setdefault(tuple(sorted(fields.items())), model(**fields))
    for model, rows in segments.items():
        model.objects.bulk_create(rows.values())


def _template_uuid(Template, value):  # noqa: N803  (the model, as wagtail-localize names it)
    namespace = uuid.uuid5(Template.BASE_UUID_NAMESPACE, value.format)
    return uuid.uuid5(namespace, value.template)


def _template_fields(value):
    return {"template": value.template, "template_format": value.format, "string_count": value.string_count}


def _get_or_create(model, key, wanted, **filters):
    """``{key value: row}`` for ``wanted`` (``{key value: the other fields}``): the existing rows
    read at once, the missing made with one ``bulk_create``."""
    if not wanted:
        return {}
    found = {
        getattr(row, key): row for row in model.objects.filter(**filters, **{f"{key}__in": list(wanted)})
    }
    missing = [model(**{key: value}, **fields) for value, fields in wanted.items() if value not in found]
    if missing:
        created = model.objects.bulk_create(missing)
        if any(row.pk is None for row in created):  # a database that returns no ids from a bulk insert
            return _get_or_create(model, key, wanted, **filters)
        found.update((getattr(row, key), row) for row in created)
    return found


def _contexts(TranslationContext, source, instance, values):  # noqa: N803
    """``{path: TranslationContext}`` for the segments' paths, each with its field path."""
    paths = {}
    for value in values:
        paths.setdefault(TranslationContext._get_path_id(value.path), value.path)
    if not paths:
        return {}
    found = {
        context.path: context
        for context in TranslationContext.objects.filter(object_id=source.object_id, path_id__in=list(paths))
    }
    missing = []
    for path_id, path in paths.items():
        if path in found:
            found[path].get_field_path(instance)  # made by an older version: sets it if it has none
            continue
        context = TranslationContext(object_id=source.object_id, path=path, path_id=path_id)
        # get_field_path() computes the path and saves it: bulk_create below does, for all.
        context.save = _no_save
        context.get_field_path(instance)
        del context.save
        missing.append(context)
    if missing:
        created = TranslationContext.objects.bulk_create(missing)
        if any(context.pk is None for context in created):
            created = TranslationContext.objects.filter(
                object_id=source.object_id, path_id__in=[context.path_id for context in missing]
            )
        found.update((context.path, context) for context in created)
    return found


def _no_save(*args, **kwargs):
    pass
