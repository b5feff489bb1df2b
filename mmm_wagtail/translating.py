"""Translating pages and snippets: what wagtail-localize leaves to the package.

wagtail-localize does the translating; this module adds, around it:

- relations to delegations (``ParentalManyToManyField``) are declared ``SynchronizedField`` on
  the models, but wagtail-localize copies them as they are (French delegations on an English
  page) and never clears them. A receiver on its ``TranslationLog`` (written once per
  translation made or synchronised) mirrors the source's relations onto the translation,
  pointing at the delegations of the translation's own locale where they exist
  (``synchronise_relations``, ``localize_objects``);
- ``translate``: a translation made or synchronised with given strings (the demo, scripts);
- ``apply_publish_new_translations`` makes new page translations drafts (the
  ``PUBLISH_NEW_TRANSLATIONS`` setting) through wagtail-localize's own switch;
- ``ensure_default_locale``: the Locale of ``LANGUAGE_CODE`` after ``migrate``.

Which languages a reader gets (no model of ours) is ``locales``; tag names per locale are
``tag_names``.
"""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db.models.signals import post_save
from django.dispatch import receiver
from modelcluster.fields import ParentalManyToManyField
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, TranslatableMixin
from wagtail_localize.fields import SynchronizedField, get_translatable_fields

from . import conf
from .basepage import Page
from .locales import as_locale

__all__ = [
    "apply_publish_new_translations",
    "ensure_default_locale",
    "localize_objects",
    "project_switch",
    "synchronise_relations",
    "translate",
]

# Without wagtail_localize installed its models cannot be imported; the system check
# mmm_wagtail.E023 then names the fix instead of a RuntimeError stopping every command.
LOCALIZE_INSTALLED = apps.is_installed("wagtail_localize")
if LOCALIZE_INSTALLED:
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationLog,
        TranslationSource,
    )
    from wagtail_localize.strings import StringValue

# Locales ------------------------------------------------------------------------------------


def ensure_default_locale(using="default", **kwargs):
    """Create the Locale of ``LANGUAGE_CODE`` after ``migrate`` if it is missing.

    Wagtail creates it once, in its own first migrations; a site whose ``LANGUAGE_CODE`` changed
    since has none, and every translatable model (a news feed created in the admin, for one)
    then fails with ``Locale.DoesNotExist``.
    """
    try:
        code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    except LookupError:  # Wagtail's own checks report a LANGUAGE_CODE outside the content languages
        return
    Locale.objects.using(using).get_or_create(language_code=code)


# Publication of new translations ------------------------------------------------------------

_LOCALIZE_SWITCH = "WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE"
_UNSET = object()
# The project's own value of wagtail-localize's switch, read before we first set it.
_project_switch = _UNSET


def apply_publish_new_translations():
    """Make wagtail-localize's switch follow ``PUBLISH_NEW_TRANSLATIONS``.

    wagtail-localize publishes a new translation of a live page as soon as it is created,
    with the source's text (nothing is translated yet), unless
    ``WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE`` is False; then the translation is a
    draft until a translator publishes it from the translation editor. It reads that setting
    on every translation, so setting it here is enough. A project that sets it itself keeps
    its value (``checks`` warns, ``mmm_wagtail.W002``, when that contradicts
    ``PUBLISH_NEW_TRANSLATIONS``). Called by ``AppConfig.ready`` and on ``setting_changed``.
    """
    global _project_switch
    if _project_switch is _UNSET:
        _project_switch = getattr(settings, _LOCALIZE_SWITCH, None)
    if _project_switch is None:
        setattr(settings, _LOCALIZE_SWITCH, bool(conf.get("PUBLISH_NEW_TRANSLATIONS")))


def project_switch():
    """The project's own ``WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE`` (None: not set)."""
    return None if _project_switch is _UNSET else _project_switch


@receiver(setting_changed)
def _reapply_publish_new_translations(setting, **kwargs):
    if setting == "MMM_WAGTAIL":
        # Receivers run in no set order: make sure conf reads the new dict first.
        conf._reload(setting=setting)
        apply_publish_new_translations()


# Synchronised relations ---------------------------------------------------------------------


@cache
def synchronised_relations(model):
    """The ParentalManyToManyFields of ``model`` declared ``SynchronizedField``."""
    fields = []
    for translatable_field in get_translatable_fields(model):
        if isinstance(translatable_field, SynchronizedField):
            field = model._meta.get_field(translatable_field.field_name)
            if isinstance(field, ParentalManyToManyField):
                fields.append(field)
    return tuple(fields)


def localize_objects(objects, locale):
    """``objects`` with each replaced by its translation into ``locale`` where one exists.

    Keeps the order; objects that are not translatable, or not translated (aliases of pages
    don't count), are returned as they are. One query.
    """
    objects = list(objects)
    if not objects or not isinstance(objects[0], TranslatableMixin):
        return objects
    model = type(objects[0])
    locale = as_locale(locale)
    translations = model.objects.filter(
        translation_key__in={obj.translation_key for obj in objects}, locale=locale
    )
    if issubclass(model, Page):
        translations = translations.filter(alias_of__isnull=True)
    found = {obj.translation_key: obj for obj in translations}
    return [found.get(obj.translation_key, obj) for obj in objects]


def synchronise_relations(source, translation):
    """Give ``translation`` the synchronised relations of ``source``, in its own locale.

    Writes the relations that differ straight to the database and returns them as
    ``{field name: [primary keys]}`` so a revision can be brought in line.
    """
    changed = {}
    for field in synchronised_relations(type(translation)):
        wanted = localize_objects(getattr(source, field.name).all(), translation.locale)
        manager = getattr(translation, field.name)
        if {obj.pk for obj in wanted} != set(manager.values_list("pk", flat=True)):
            manager.set(wanted)
            manager.commit()
            changed[field.name] = [obj.pk for obj in wanted]
    return changed


def _synchronise_relations_of_translation(sender, instance, created, raw=False, **kwargs):
    """After wagtail-localize made or synchronised a translation, fix its relations.

    wagtail-localize logs the translation after saving it and its new revision, and publishes
    that revision only when the transaction commits; the revision is updated here too, so
    publishing it keeps the localised relations.
    """
    if not created or raw:
        return
    source = instance.source
    model = source.specific_content_type.model_class()
    if model is None or not synchronised_relations(model):
        return
    original = source.as_instance()
    translation = source.get_translated_instance(instance.locale)
    changed = synchronise_relations(original, translation)
    revision = instance.revision
    if changed and revision is not None:
        revision.content.update(changed)
        revision.save(update_fields=["content"])


if LOCALIZE_INSTALLED:
    post_save.connect(_synchronise_relations_of_translation, sender=TranslationLog)


def translate(instance, locale, strings, *, user=None, publish=True, fallback=False):
    """Translate ``instance`` into ``locale`` through wagtail-localize, with the given strings.

    ``strings``: ``{source text: translated text}``, plain text (no inline markup), stored in
    wagtail-localize's translation memory, so editors find them in the translation editor.
    A string left out raises ``MissingTranslationError`` (or keeps the source text with
    ``fallback=True``). Run again after a change to the source, it synchronises the
    translation. Pages are published at once, not when the transaction commits as
    wagtail-localize does. Returns the translation.
    """
    locale = as_locale(locale)
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = strings.get(StringValue(segment.string.data).render_text())
        if text is not None:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": StringValue.from_plaintext(text).data},
            )
    is_page = isinstance(instance, Page)
    translation, _created = source.create_or_update_translation(
        locale, user=user, publish=publish and not is_page, fallback=fallback
    )
    if is_page and publish:
        translation.get_latest_revision().publish(user=user)
    return translation
