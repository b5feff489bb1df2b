"""``translations``: the other-language versions of pages, for a whole response in one query.

Details carry them as ``translations`` and in ``meta.translations``; cards and delegations
in ``meta.translations``. A response first ``load``\\ s the translations of every page it
shows, then ``ApiContext.meta`` reads them, so the count of queries does not grow with the
number of cards.
"""

from collections import defaultdict

from django.db.models import F

from ..basepage import Page
from ..queries import current


def load(ctx, types):
    """Find the translations of the pages ``types`` (``{page id: API type name}``) into
    ``ctx.translations``: live, public, in the site, not aliases; one query for all of them
    (none if all are known)."""
    wanted = {pk: type_name for pk, type_name in types.items() if pk not in ctx.translations}
    if not wanted:
        return
    if len(ctx.roots) < 2:
        # A site in one language has no page in another: a monolingual site pays no query.
        ctx.translations.update(dict.fromkeys(wanted, []))
        ctx.translation_paths.update(dict.fromkeys(wanted, {}))
        return
    keys = Page.objects.filter(pk__in=list(wanted)).values("translation_key")
    rows = list(
        current(Page.objects.filter(translation_key__in=keys))
        .filter(ctx.in_site())
        .values(
            "pk",
            "title",
            "url_path",
            "content_type_id",
            "translation_key",
            language=F("locale__language_code"),
        )
        .order_by("locale__language_code", "pk")
    )
    key_of = {row["pk"]: row["translation_key"] for row in rows}
    versions_of = defaultdict(list)
    for row in rows:
        versions_of[row["translation_key"]].append(row)
    for pk, type_name in wanted.items():
        # A page missing from the rows (not current) has no translations to show.
        versions = versions_of[key_of[pk]] if pk in key_of else []
        ctx.translations[pk] = [
            {
                "locale": row["language"],
                "id": row["pk"],
                "title": row["title"],
                "html_url": ctx.html_url(row),
                "detail_url": ctx.detail_url(type_name, row["pk"]),
            }
            for row in versions
            if row["pk"] != pk
        ]
        # Not in the payload: the landing page finds its translations' subtrees with them.
        ctx.translation_paths[pk] = {row["language"]: row["url_path"] for row in versions}


def of(ctx, pk, type_name):
    """The translations of one page (loaded if needed)."""
    load(ctx, {pk: type_name})
    return ctx.translations[pk]
