"""Languages and translation groups of posts and terms, as WPML and Polylang export them.

- WPML (its "Export and Import" add-on): post meta ``_wpml_import_language_code``,
  ``_wpml_import_source_language_code`` (empty on the original) and
  ``_wpml_import_translation_group``.
- Polylang: a ``language`` term on each post (its slug is the code) and a
  ``post_translations`` term shared by the posts of one group; terms are grouped by
  ``term_translations`` terms whose description is PHP's ``serialize()`` of
  ``{language: term_id}``.

Each group's source is WPML's original, else the post in the site's default language, else
the oldest. The others become wagtail-localize translations of it (``link``), keeping their
own text.
"""

import re
from dataclasses import dataclass

from wagtail.coreutils import get_supported_content_language_variant

from .sources import source_for

__all__ = ["Grouping", "Placement", "is_synced", "language_code", "link"]

_SERIALIZED_PAIR = re.compile(r's:\d+:"([A-Za-z_-]+)";i:(\d+);')


def language_code(code):
    """The content language of Wagtail matching a WordPress code (fr, fr_FR, en-US), or None."""
    if not code:
        return None
    try:
        return get_supported_content_language_variant(code.replace("_", "-").lower())
    except LookupError:
        return None


@dataclass
class Placement:
    language: str | None  # a content language code, or None when the post's is not supported
    group: str  # posts of one group are translations of one another
    source_id: int | None  # the wp id of the group's source, None for the source itself


class Grouping:
    def __init__(self, export, default_language):
        self.default = default_language
        self.export = export
        self.placements = {}
        # Pages too: a page given with --page brings its translations into their delegations.
        posts = [item for item in export.items if item.post_type in ("post", "page")]
        groups = {}
        for item in posts:
            wp_language, group, is_original = self._declared(item)
            language = language_code(wp_language) if wp_language else self._channel_language()
            self.placements[item.wp_id] = Placement(language, group or f"post:{item.wp_id}", None)
            groups.setdefault(self.placements[item.wp_id].group, []).append((item, is_original))
        for members in groups.values():
            if len(members) < 2:
                continue
            source = self._source(members)
            for item, _original in members:
                if item is not source:
                    self.placements[item.wp_id].source_id = source.wp_id
        self.term_groups = self._term_groups()

    def _channel_language(self):
        return language_code(self.export.language) or self.default

    @staticmethod
    def _declared(item):
        """(WordPress language code, group key, is the original) as the post records them."""
        meta = item.meta
        if meta.get("_wpml_import_language_code"):
            group = meta.get("_wpml_import_translation_group", "")
            original = not meta.get("_wpml_import_source_language_code")
            return meta["_wpml_import_language_code"], group and f"wpml:{group}", original
        languages = item.terms_of("language")
        groups = item.terms_of("post_translations")
        return (
            languages[0].slug if languages else "",
            f"pll:{groups[0].slug}" if groups else "",
            None,
        )

    def _source(self, members):
        originals = [item for item, original in members if original]
        if originals:
            return originals[0]
        in_default = [item for item, _ in members if self.placements[item.wp_id].language == self.default]
        candidates = in_default or [item for item, _ in members]
        return min(candidates, key=lambda item: (item.date is None, item.date or 0, item.wp_id))

    def _term_groups(self):
        """``{(taxonomy, slug): group key}`` from Polylang's term_translations terms."""
        by_id = {term.term_id: term for term in self.export.terms if term.term_id is not None}
        groups = {}
        for term in self.export.terms:
            if term.taxonomy != "term_translations":
                continue
            for _language, term_id in _SERIALIZED_PAIR.findall(term.description):
                member = by_id.get(int(term_id))
                if member is not None:
                    groups[(member.taxonomy, member.slug)] = term.slug
        return groups

    def term_language(self, term):
        """The language of a term as Polylang records it (its group's serialized codes)."""
        by_id = {t.term_id: t for t in self.export.terms if t.term_id is not None}
        for group in self.export.terms:
            if group.taxonomy == "term_translations" and group.slug == self.term_groups.get(
                (term.taxonomy, term.slug)
            ):
                for language, term_id in _SERIALIZED_PAIR.findall(group.description):
                    member = by_id.get(int(term_id))
                    if member is not None and member.slug == term.slug:
                        return language_code(language)
        return None

    def placement(self, item):
        return self.placements[item.wp_id]


def link(source, translation):
    """Record ``translation`` (a page sharing ``source``'s translation key) as a wagtail-localize
    translation of it: a ``TranslationSource`` for the source and a ``Translation`` to the
    translation's locale, not synchronised (``enabled=False``, as "Stop synced translation"
    leaves it) so that its own text is kept and edited in Wagtail's page editor. The source's
    segments are extracted as wagtail-localize does, in fewer queries (``sources.py``)."""
    from wagtail_localize.models import Translation

    translation_source = source_for(source)
    Translation.objects.get_or_create(
        source=translation_source, target_locale=translation.locale, defaults={"enabled": False}
    )
    return translation_source


def is_synced(page):
    """Whether wagtail-localize keeps ``page`` synchronised with a source in another language
    (its next sync rewrites the page's translatable fields)."""
    from wagtail_localize.models import Translation

    return Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).exists()
