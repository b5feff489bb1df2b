"""News cards: everything a frontend shows for a news item in a list, for a whole page of
news in a constant number of queries.

A page of rows (``card_rows``, ``card_rows_of``) costs one query; ``build_cards`` adds one
for the tags with their names in the locale, one for the translations of the items
(``meta.translations``), one for the locale's delegations (memoised per request), one for
related delegations and one for images with their renditions. The per-request queries run
through ``statements`` (compiled once, ids bound at run time).

Rows carry their own ``language``: with the ``UNTRANSLATED`` fallback, an English listing
holds French items, marked ``meta.locale: "fr"``; their delegations are shown as the
reader's locale's translations (matched by translation key) where they exist.
"""

from collections import defaultdict

from django.db.models import F
from django.utils import dateformat, translation

from .. import conf, statements
from ..locales import SiteRoots
from ..models import DelegationPage, NewsPage
from ..models.querysets import parent_key
from ..tag_names import news_tags
from ..teasers import news_teaser
from . import shapes, translations
from .images import images_by_id

NEWS_TYPE = NewsPage._meta.label


def card_fields():
    """The columns of a card row: what ``shapes.NEWS_CARD`` reads."""
    return shapes.NEWS_CARD.columns


def _card_values(queryset, columns=None):
    return queryset.values(
        *(columns or card_fields()), language=F("locale__language_code"), parent_key=parent_key()
    )


def card_rows(queryset):
    """Rows of a (filtered, ordered, sliced) news queryset, e.g. a feed's items."""
    return list(_card_values(queryset))


def card_rows_of(ids):
    """Rows of the news ``ids``, in that order (a page chosen by ``queries.news_page``).

    The page is chosen by a narrow query and its rows read by id: sorting the whole
    listing with its bodies attached would copy every body through the database's sorter.
    """
    by_pk = {row["pk"]: row for row in statements.fetch_dicts(_card_rows_query, card_fields(), ids=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _card_rows_query(columns):
    return _card_values(NewsPage.objects.filter(pk__in=statements.IdList("ids")), columns)


def _related_query():
    return NewsPage.related_delegations.through.objects.filter(
        newspage_id__in=statements.IdList("ids")
    ).values_list("newspage_id", "delegationpage__translation_key")


def locale_delegations(ctx, shape=None):
    """The current delegations of the request's locale and site, in tree order (memoised).

    Rows with the columns of ``shape`` (``shapes.DELEGATION`` by default). Cards need those
    of ``shapes.DELEGATION_REF``; the delegations endpoints need them all and ask first, so
    one query serves both.
    """
    full_fields = shapes.DELEGATION.columns
    fields = (shape or shapes.DELEGATION).columns
    full = ctx.remembered(("delegations", full_fields))
    if full is not None and set(fields) <= set(full_fields):
        return full
    return ctx.memo(
        ("delegations", fields),
        lambda: statements.fetch_dicts(
            _delegations_query, ctx.language, ctx.roots_key, ctx.default_language, fields
        ),
    )


def _delegations_query(language, roots, default_language, fields):
    roots = SiteRoots(roots, default_language)
    queryset = DelegationPage.objects.readable(language, roots).in_reading_order(language, site=roots)
    return queryset.values(*fields, language=F("locale__language_code"))


def date_display(date, language_code):
    """``date`` in the ``DATE_FORMATS`` format of ``language_code`` (``en-us``, else ``en``, else
    ``default``), month and day names in that language whatever the request's."""
    formats = conf.get("DATE_FORMATS")
    code = (language_code or "").lower()
    fmt = formats.get(code) or formats.get(code.split("-")[0]) or formats["default"]
    if not code:
        return dateformat.format(date, fmt)
    with translation.override(code):
        return dateformat.format(date, fmt)


def build_cards(rows, ctx, relations=None):
    """Card dicts for ``rows`` (from ``card_rows`` or ``card_rows_of``), in the same order.

    ``relations``: ``{news id: (tags, delegation translation keys)}`` of items whose tags
    (``[(slug, name)]``) and related delegations are known already instead of stored (the
    unsaved state a preview shows).
    """
    if not rows:
        return []
    relations = relations or {}
    teaser_length = conf.get("TEASER_LENGTH")
    ids = [row["pk"] for row in rows]
    stored = [pk for pk in ids if pk not in relations]

    tags_of = news_tags(stored, ctx.language)
    translations.load(ctx, dict.fromkeys(ids, NEWS_TYPE))

    local = locale_delegations(ctx, shapes.DELEGATION_REF)
    by_key = {d["translation_key"]: d for d in local}
    related_of = defaultdict(list)
    for news_id, key in statements.fetch(_related_query, ids=stored) if stored else ():
        if key in by_key:
            related_of[news_id].append(by_key[key])
    for news_id, (tags, keys) in relations.items():
        tags_of[news_id] = tags
        related_of[news_id] = [by_key[key] for key in keys if key in by_key]

    images = images_by_id({row["image_id"] for row in rows}, ctx)

    card, ref = shapes.NEWS_CARD, shapes.DELEGATION_REF
    cards = []
    with translation.override(ctx.language):
        for row in rows:
            pk = row["pk"]
            parent = by_key.get(row["parent_key"])
            listed = [parent] if parent else []
            listed += sorted(
                (d for d in related_of[pk] if d is not parent and d not in listed), key=lambda d: d["path"]
            )
            cards.append(
                card.build(
                    row,
                    id=pk,
                    meta=ctx.meta(row, NEWS_TYPE),
                    date_display=date_display(row["date"], ctx.language),
                    excerpt=news_teaser(row["excerpt"], row["body"].raw_data, teaser_length),
                    tags=[{"slug": slug, "name": name} for slug, name in tags_of[pk]],
                    delegations=[ref.build(d, id=d["pk"]) for d in listed],
                    image=images.get(row["image_id"]),
                )
            )
    return cards
