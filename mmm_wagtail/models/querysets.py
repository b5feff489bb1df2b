"""The page types' query vocabulary, on their QuerySets, as Wagtail has ``live()``, ``public()``
and ``in_site()``: ``current()``, ``localized()``, ``readable()``; ``newest_first()`` and
``in_delegations()`` for news, ``in_reading_order()`` and ``with_latest_news()`` for
delegations; each delegation's latest news (``latest_news_ids``) from the read model.

Rules all of them follow (docs/content-model.md): only what a reader may get (``readable_q``,
the one rule: live, public, current, and so is every ancestor) of the requested locale and
site; news newest first with a stable tie-break; an item listed under several delegations
appears once (``of_delegations`` reads a delegation's news from the read model).
Delegations are matched by ``translation_key`` so a news item
pointing at the French delegation also matches its English translation.

``locale`` is a ``Locale`` or a language code; ``root`` is None (no restriction), a page
(its subtree in each locale in play, one query) or a mapping ``{language code: url_path}``
(``locales.site_roots``: the site's root in each language, no query).

Nothing here imports a face or ``queries``: the models own their queries, ``queries``
composes them for the API's listings (``docs/development.md``, "Layers").
"""

import functools

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length, Now, Substr
from wagtail.models import Locale, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from ..basepage import Page
from ..locales import SiteRoots, default_language_code, fallback_codes, language_of
from .listing import NewsListing, NewsListingDelegation

__all__ = [
    "NEWS_ORDER",
    "ContentPageQuerySet",
    "DelegationPageQuerySet",
    "NewsPageQuerySet",
    "latest_news_ids",
    "online_q",
    "parent_key",
    "public_q",
    "readable_q",
    "roots_mapping",
]

NEWS_ORDER = ("-date", "-pk")
_STEPLEN = Page.steplen


@functools.cache
def public_q():
    """Pages outside every view-restricted section (part of ``readable_q``).

    Wagtail's ``PageQuerySet.public()`` runs a query to list the restrictions each time a
    queryset is built; a correlated subquery keeps a listing to one query. The
    expression holds no value that changes and querysets copy it when they resolve it,
    so it is built once.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return ~Exists(restricted)


def _offline_q(timed):
    """A page readers cannot get by its own state: not live, expired, and with ``timed``
    scheduled for later or past its expiry (``expire_at``: Wagtail unpublishes it only
    when ``publish_scheduled`` runs)."""
    offline = Q(live=False) | Q(expired=True)
    if timed:
        offline |= Q(go_live_at__gt=Now()) | Q(expire_at__lte=Now())
    return offline


# The deepest a page can be: treebeard's path holds ``max_length // steplen`` steps (63 in Wagtail).
_MAX_DEPTH = Page._meta.get_field("path").max_length // _STEPLEN
# Ancestors up to this depth are looked up for every page; deeper ones only for deeper pages.
_NEAR_DEPTH = 12


def _offline_among(timed, depths):
    """An offline (``_offline_q``) ancestor of the page among those of ``depths``, each looked up
    by its path (a prefix of the page's; the unique index)."""
    prefixes = [Substr(OuterRef("path"), 1, _STEPLEN * depth) for depth in depths]
    return Exists(Page.objects.filter(_offline_q(timed), path__in=prefixes, depth__lt=OuterRef("depth")))


@functools.cache
def _hidden_above(timed):
    """An ancestor of the page (the tree's root excepted) is offline (``_offline_q``).

    Every prefix a path can have (depth 2 to ``_MAX_DEPTH - 1``) is looked up by path, the
    unique index: one index lookup per ancestor, never a scan of the page table. Those deeper
    than ``_NEAR_DEPTH`` only for pages deeper than that (a shorter list per row for SQLite,
    which lists every prefix it is given).

    No scan in the plan either: a fallback scanning the page table for deeper trees, even
    never run, made PostgreSQL's estimate of every query applying the rule grow with the
    page table, past ``jit_above_cost`` at 100,000 news per language, and its JIT compiling
    (about 2 s on a loaded machine) then cost more than the query."""
    near = _offline_among(timed, range(2, _NEAR_DEPTH + 1))
    deep = _offline_among(timed, range(_NEAR_DEPTH + 1, _MAX_DEPTH))
    return near | (Q(depth__gt=_NEAR_DEPTH + 1) & deep)


def online_q(timed=True):
    """The page and each of its ancestors live, not expired and (with ``timed``) within their
    scheduled times; not an alias. A subtree is as visible as its parents: Wagtail's
    unpublish leaves the children of a page live, and serves them."""
    own = Q(live=True, expired=False, alias_of__isnull=True)
    if timed:
        own &= (Q(expire_at__isnull=True) | Q(expire_at__gt=Now())) & (
            Q(go_live_at__isnull=True) | Q(go_live_at__lte=Now())
        )
    return own & ~_hidden_above(timed)


def readable_q(timed=True):
    """THE rule of what a reader may get, for any page queryset (``Page.objects`` too): the
    page and every ancestor live, not expired, not scheduled for later (``online_q``), no view
    restriction on it or above it (``public_q``), not an alias.

    Every face applies it: the API's details, ``pages/find``, links and translations
    (``queries.current``), page listings (``ContentPageQuerySet.current``/``readable``), the
    HTML pages (``models.base.ExpiringPageMixin``, restrictions left to Wagtail's own check) and,
    materialised, the news listing read model: a news item has a row when
    ``readable_q(timed=False)`` holds, and the row keeps the latest ``go_live_at`` and the
    earliest ``expire_at`` of the item and its ancestors, compared with the database's clock
    when read (``NewsListing.objects.current()``).

    Times are compared with the database's clock (``Now()``), not a parameter: the SQL of
    a listing then stays the same from one request to the next (see ``statements``).
    """
    return public_q() & online_q(timed)


def _parent_path(outer):
    return Substr(outer("path"), 1, Length(outer("path")) - _STEPLEN)


def parent_key():
    """The translation key of a news item's parent page (an annotation, no extra query)."""
    return Subquery(Page.objects.filter(path=_parent_path(OuterRef)).values("translation_key")[:1])


class ContentPageQuerySet(PageQuerySet):
    """The package's page types: what a reader of a locale may get."""

    def current(self):
        """What a reader may get (``readable_q``): live, public, not expired, not scheduled for
        later, the same for every ancestor; aliases are left out."""
        return self.filter(readable_q())

    def localized(self, locale, *, root=None, mode=None):
        """The pages a reader of ``locale`` gets, per the ``UNTRANSLATED`` setting.

        - the pages of ``locale``;
        - with ``mode`` (default: the setting) ``"fallback"`` and a locale other than the
          default one, also the default locale's pages that have no translation into
          ``locale`` in this queryset; they keep their own locale, so callers mark them by it.

        An item and its translation never both appear. Alias pages (wagtail-localize's
        placeholders in synchronised trees) never appear: with ``"hide"`` they are hidden
        like any untranslated page, with ``"fallback"`` their source page stands for them.

        ``root`` restricts each locale's pages to that locale's version of a subtree:

        - a mapping ``{language code: url_path}``, e.g. a site's root paths per language
          (``locales.site_roots``): no query; a locale missing from it gets no page;
        - a page in any locale: its versions in the locales in play are looked up (one query).

        Not ordered; one SQL query when evaluated.
        """
        code = language_of(locale)
        codes = fallback_codes(locale, mode, site=root)
        pages = self.filter(alias_of__isnull=True)

        if root is None:
            scopes = None
        elif isinstance(root, Page):
            scopes = {
                language: Q(path__startswith=path)
                for language, path in Page.objects.filter(
                    translation_key=root.translation_key, locale__language_code__in=codes
                ).values_list("locale__language_code", "path")
            }
        else:
            scopes = {language: Q(url_path__startswith=url_path) for language, url_path in root.items()}

        def of_locale(candidate):
            if isinstance(locale, Locale) and candidate == code:
                return Q(locale_id=locale.pk)
            return Q(locale__language_code=candidate)

        def in_locale(candidate):
            if scopes is None:
                return of_locale(candidate)
            return of_locale(candidate) & scopes.get(candidate, Q(pk__in=[]))

        match = in_locale(code)
        if len(codes) == 2:
            # Translated anywhere in the queryset, not only under root: never both versions.
            translated = pages.filter(of_locale(code)).values("translation_key")
            match |= in_locale(codes[1]) & ~Q(translation_key__in=translated)
        return pages.filter(match)

    def readable(self, locale, root=None):
        """Current pages a reader of ``locale`` gets within ``root``; no order. Every page
        listing starts here."""
        return self.current().localized(locale, root=root)


class DelegationPageQuerySet(ContentPageQuerySet):
    def current(self):
        """``readable_q``, checked on the delegations' own rows only.

        A delegation query joins the delegation table (a site has a handful) to the page table
        (every news item too). Without a hint, a database without statistics on the tables
        (SQLite unless ``ANALYZE`` ran) goes through the page table by its locale index and
        checks the rule (a restriction lookup and an ancestor lookup per step of the path) on
        every page of the locale before joining: 21 ms of a 40 ms ``news/`` miss at 2,000
        news, growing with the news. Naming the delegation table's ids first (a subquery of
        that table alone, no join) makes the database start from them: 0.2 ms, whatever the
        number of news."""
        own = self.model.objects.order_by().values("pk")
        return super().current().filter(pk__in=own)

    def in_reading_order(self, locale, site=None):
        """In tree order. With fallback the list mixes two trees (the locale's and the default
        locale's): each delegation takes the place its default-language version has in that
        tree, so the English list is in the French order, untranslated French delegations
        included. ``site``: whose default language that is (``locales.default_language_code``)."""
        codes = fallback_codes(locale, site=site)
        if len(codes) == 1:
            return self.order_by("path")
        source_path = self.model.objects.filter(
            translation_key=OuterRef("translation_key"), locale__language_code=codes[1], alias_of__isnull=True
        ).values("path")[:1]
        return self.order_by(Coalesce(Subquery(source_path), F("path")), "path")

    def with_latest_news(self, locale, root=None):
        """The delegations a reader of ``locale`` gets within ``root``, in reading order, each
        with ``latest_news``: its N latest news (N from the page). Three queries."""
        # The news type is the one whose "also listed under" points here (no import of pages.py,
        # which declares its managers with this module).
        news_model = self.model._meta.get_field("related_news").related_model
        root = roots_mapping(locale, root)  # a page: its versions and its site's language, once
        result = list(self.readable(locale, root).in_reading_order(locale, site=root))
        ids = latest_news_ids(locale, result, root)
        loaded = news_model.objects.in_bulk([pk for pks in ids.values() for pk in pks])
        for delegation in result:
            delegation.latest_news = [loaded[pk] for pk in ids[delegation.pk]]
        return result


class NewsPageQuerySet(ContentPageQuerySet):
    def newest_first(self):
        """Newest first, the primary key breaking ties (``NEWS_ORDER``): every news listing's order."""
        return self.order_by(*NEWS_ORDER)

    def of_delegations(self, locale, keys, root=None, limit=None):
        """The news a reader of ``locale`` gets within ``root`` under any of the delegations with
        translation ``keys`` (parent or related), newest first, at most ``limit``: chosen on the
        read model (``NewsListing``, an index range per delegation) and returned as a queryset,
        one query. Every face listing a delegation's news reads them here (its HTML page, its
        feed); ``latest_news_ids`` does the same for many delegations at once."""
        language = language_of(locale)
        roots = roots_mapping(language, root)
        chosen = NewsListing.objects.for_reader(fallback_codes(language, site=roots), roots)
        chosen = chosen.in_delegations(keys).in_order("-date").values("page_id")
        if limit is not None:
            chosen = chosen[:limit]
        return self.filter(pk__in=Subquery(chosen)).newest_first()

    def in_delegations(self, keys):
        """News whose parent or related delegations have one of the translation ``keys``, read
        from the page tables: the reference the read model's ``in_delegations`` is tested
        against (tests/test_listing_stateful.py); faces use ``of_delegations``.

        Any locale: a French news item listed in English (fallback) is found through its
        French parent, which shares its key with the English delegation.
        """
        keys = list(keys)
        parent = Page.objects.filter(translation_key__in=keys, path=_parent_path(OuterRef))
        related = self.model.related_delegations.through.objects.filter(
            newspage_id=OuterRef("pk"), delegationpage__translation_key__in=keys
        )
        return self.filter(Q(Exists(parent)) | Q(Exists(related)))


DelegationPageManager = PageManager.from_queryset(DelegationPageQuerySet)
NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)
ContentPageManager = PageManager.from_queryset(ContentPageQuerySet)


class _Fields:
    """Attribute access to a delegation given as a page or as a ``values()`` dict."""

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, name):
        if isinstance(self._obj, dict):
            return self._obj[name]
        return getattr(self._obj, name)


def roots_mapping(locale, root):
    """``root`` as the ``{language code: url_path}`` mapping the read model takes: a page
    becomes its versions in the locales a reader of ``locale`` gets, as ``locales.SiteRoots``
    knowing its site's default language (two queries)."""
    if not isinstance(root, Page):
        return root
    roots = SiteRoots({}, default_language_code(root))
    codes = fallback_codes(locale, site=roots)
    versions = Page.objects.filter(translation_key=root.translation_key, locale__language_code__in=codes)
    roots.update(versions.values_list("locale__language_code", "url_path"))
    return roots


def latest_news_ids(locale, delegation_list, root=None):
    """{delegation pk: [news pks newest first]}, each delegation's ``latest_news_count`` latest.

    One query whatever the number of delegations: per delegation and rank, a subquery reads
    the delegation's rows of ``NewsListingDelegation`` (parent and related alike) newest
    first from its index and stops at that rank, so the cost follows the number of cards,
    not the number of news. ``delegation_list``: pages or ``values()`` dicts.
    """
    delegation_list = [_Fields(d) for d in delegation_list]
    wanted = {d.pk: d.latest_news_count for d in delegation_list}
    top = max(wanted.values(), default=0)
    result = {pk: [] for pk in wanted}
    if not top:
        return result
    language = language_of(locale)
    roots = roots_mapping(language, root)
    codes = fallback_codes(language, site=roots)
    readable = NewsListing.objects.for_reader(codes, roots)
    ranked = (
        NewsListingDelegation.objects.filter(
            delegation_key=OuterRef("translation_key"),
            language__in=codes,
        )
        .filter(Exists(readable.filter(pk=OuterRef("news_id"))))
        .order_by("-date", "-news_id")
        .values("news_id")
    )
    ranks = {f"rank_{rank}": Subquery(ranked[rank : rank + 1]) for rank in range(top)}
    rows = Page.objects.filter(pk__in=list(wanted)).annotate(**ranks).values("pk", *ranks)
    for row in rows:
        found = [row[f"rank_{rank}"] for rank in range(wanted[row["pk"]])]
        result[row["pk"]] = [pk for pk in found if pk is not None]
    return result
