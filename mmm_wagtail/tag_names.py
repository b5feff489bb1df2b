"""Tag names per locale: taggit tags as readers of a locale see and filter them.

A tag is a language-neutral taggit ``Tag`` shared by every translation of a news item;
``TagTranslation`` (``models/tags.py``) gives it a name and slug per locale. These functions
read them for the faces (the API's cards and filters, the feeds, the preview, the templates),
each in one query: ``tag_labels``, ``news_tags``, ``tag_ids_for_slugs``. See docs/tags.md.
Not the cache's dependency tags (``cache.dependency_tags``).
"""

from django.db.models import OuterRef, Q, Subquery
from taggit.models import Tag
from wagtail.models import Locale

from . import statements
from .locales import locale_filter
from .models import NewsPageTag, TagTranslation

__all__ = ["news_tags", "tag_ids_for_slugs", "tag_labels"]


def _translation_of_tag(locale, field, tag_column="pk"):
    return Subquery(
        TagTranslation.objects.filter(tag=OuterRef(tag_column), **locale_filter(locale)).values(field)[:1]
    )


def tag_labels(tag_ids, locale):
    """``{tag_id: (slug, name)}`` as readers of ``locale`` see the tags, in one query.

    A tag without a translation into ``locale`` keeps its own slug and name.
    ``locale``: a Locale, its primary key or its language code.
    """
    tag_ids = set(tag_ids)
    if not tag_ids:
        return {}
    rows = (
        Tag.objects.filter(pk__in=tag_ids)
        .annotate(
            local_slug=_translation_of_tag(locale, "slug"), local_name=_translation_of_tag(locale, "name")
        )
        .values_list("pk", "slug", "name", "local_slug", "local_name")
    )
    return {pk: (local_slug or slug, local_name or name) for pk, slug, name, local_slug, local_name in rows}


def _news_tags_query(locale):
    return (
        NewsPageTag.objects.filter(content_object_id__in=statements.IdList("ids"))
        .annotate(
            local_slug=_translation_of_tag(locale, "slug", "tag_id"),
            local_name=_translation_of_tag(locale, "name", "tag_id"),
        )
        .values_list("content_object_id", "tag__slug", "tag__name", "local_slug", "local_name")
    )


def news_tags(news_ids, locale):
    """``{news id: [(slug, name), ...]}``: each news item's tags as readers of ``locale`` see
    them, sorted by name; one query for any number of items (listings, feeds)."""
    tags_of = {pk: [] for pk in news_ids}
    if not tags_of:
        return tags_of
    key = locale.pk if isinstance(locale, Locale) else locale
    for news_id, slug, name, local_slug, local_name in statements.fetch(_news_tags_query, key, ids=tags_of):
        tags_of[news_id].append((local_slug or slug, local_name or name))
    for tags in tags_of.values():
        tags.sort(key=lambda label: label[1].casefold())
    return tags_of


def tag_ids_for_slugs(slugs, locale):
    """``{slug: tag_id}`` for the slugs naming a tag in ``locale``, in one query.

    A slug is the tag's own (canonical) slug or its translated slug in ``locale``; if both
    name different tags, the translated slug wins (it is what the reader sees). Unknown
    slugs are left out, so the caller can report them.
    """
    slugs = {slug for slug in slugs if slug}
    if not slugs:
        return {}
    translated = TagTranslation.objects.filter(slug__in=slugs, **locale_filter(locale)).values("tag_id")
    rows = (
        Tag.objects.filter(Q(slug__in=slugs) | Q(pk__in=translated))
        .annotate(local_slug=_translation_of_tag(locale, "slug"))
        .values_list("pk", "slug", "local_slug")
    )
    result = {}
    for pk, slug, _local_slug in rows:
        if slug in slugs:
            result[slug] = pk
    for pk, _slug, local_slug in rows:
        if local_slug in slugs:
            result[local_slug] = pk
    return result
