"""The news listing read model: one narrow row per listed news item, in index order.

A listing of news ("the newest 20 current news of this locale and site, with these
filters") read from the page tables joins ``wagtailcore_page`` (locale, path, liveness)
with the news table (date) and must sort and count every match: no index can return the
rows in order. ``NewsListing`` holds, per news page that *can* be listed
(``querysets.readable_q(timed=False)``: live, not an alias, no view restriction on it or an
ancestor, every ancestor live and not expired), exactly what listings filter and sort on,
so an index gives the rows of a locale in date or title order and the database stops
after the page asked for. ``NewsListingDelegation`` does the same per delegation (parent
and related), so each delegation's latest news is a short index range.

Times are not folded in: ``go_live_at`` and ``expire_at`` (the latest go-live and the
earliest expiry of the item and its ancestors: the times part of ``readable_q``) are copied
and compared with the database's clock when read (``current()``), so a scheduled item appears
and an expired one disappears on time, without waiting for ``publish_scheduled``.

The rows are written by ``mmm_wagtail.listing`` (on every change, and by the
``rebuild_news_listing`` command); nothing here writes them.
"""

from django.db import connections, models, router
from django.db.models import Exists, Lookup, OuterRef, Q
from django.db.models.functions import Now

from ..basepage import PAGE_MODEL


class SearchVectorField(models.Field):
    """A text search vector: ``tsvector`` on PostgreSQL, an unused text column elsewhere
    (the other databases search through Wagtail's backend). Not loaded unless asked for."""

    description = "A text search vector (PostgreSQL tsvector)"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


@SearchVectorField.register_lookup
class Matches(Lookup):
    """``search_vector__matches=<tsquery expression>``: the ``@@`` operator (a GIN index serves it)."""

    lookup_name = "matches"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ {rhs}", [*lhs_params, *rhs_params]


def keyset(column, tie, op, position):
    """The rows past ``position`` (``(value of column, value of tie)``) in an order on
    ``(column, tie)``: ``op`` "gt" ascending, "lt" descending. The first condition bounds a read
    of an index on the two columns; the second drops the rows of the same value up to the tie."""
    value, pk = position
    return Q(**{f"{column}__{op}e": value}) & (Q(**{f"{column}__{op}": value}) | Q(**{f"{tie}__{op}": pk}))


def under_site(language, roots, unknown_path=False):
    """Rows of ``language`` under the site's root in it: ``roots`` is ``{language: url_path}``
    (``locales.SiteRoots``), or None for no restriction. ``unknown_path``: rows with no
    ``url_path`` too (removals recorded before it was kept, ``NewsRemoval``)."""
    match = Q(language=language)
    if roots is None:
        return match
    if language not in roots:
        return Q(pk__in=[])
    within = Q(url_path__startswith=roots[language])
    return match & ((within | Q(url_path="")) if unknown_path else within)


class NewsListingQuerySet(models.QuerySet):
    """The query vocabulary of listings: ``current()``, ``for_reader()``, ``in_delegations()``,
    ``with_tags()``, ``newest_first()``/``in_order()``."""

    def current(self):
        """Rows whose page is online now (scheduled and expiry times against the database's clock)."""
        return self.filter(
            Q(go_live_at__isnull=True) | Q(go_live_at__lte=Now()),
            Q(expire_at__isnull=True) | Q(expire_at__gt=Now()),
        )

    def for_reader(self, codes, roots=None):
        """Current rows a reader gets: ``codes`` is ``[language]`` or ``[language, default]``
        (``locales.fallback_codes``): with two, the default language's items that have no
        current translation into the first. ``roots`` (``{language: url_path}``, or None for
        no restriction) keeps each language's rows under its site root."""

        match = under_site(codes[0], roots)
        if len(codes) == 2:
            translated = self.model.objects.current().filter(language=codes[0]).values("translation_key")
            match |= under_site(codes[1], roots) & ~Q(translation_key__in=translated)
        return self.current().filter(match)

    def in_delegations(self, keys):
        """Rows listed under any of the delegations with translation ``keys`` (parent or related)."""
        listed = NewsListingDelegation.objects.filter(news=OuterRef("pk"), delegation_key__in=list(keys))
        return self.filter(Exists(listed))

    def with_tags(self, tag_ids):
        """Rows whose news carries every one of ``tag_ids``."""
        from .pages import NewsPageTag

        queryset = self
        for tag_id in tag_ids:
            queryset = queryset.filter(
                Exists(NewsPageTag.objects.filter(content_object_id=OuterRef("pk"), tag_id=tag_id))
            )
        return queryset

    def in_order(self, order="-date", reverse=False):
        """Ordered by one of ``ORDERS`` (each with the page id as tie-break, in an index);
        ``reverse``: the same index read the other way."""
        columns = ORDERS[order]
        if reverse:
            columns = [column[1:] if column.startswith("-") else f"-{column}" for column in columns]
        return self.order_by(*columns)

    def beyond(self, order, position, backwards=False):
        """Rows after ``position`` in ``order`` (``before`` them with ``backwards``):
        ``position`` holds the order's two columns of one row (its date or title, its page id).

        A keyset condition the index of the order serves as a range: the first column bounds
        it (``date <= d``), the page id breaks the tie among the rows of that value only, so
        the read starts at the position whatever its depth (an offset reads every row above)."""
        first, tie = ORDERS[order]
        # Descending orders go on to smaller values; backwards goes the other way.
        op = "lt" if first.startswith("-") != backwards else "gt"
        return self.filter(keyset(first.lstrip("-"), tie.lstrip("-"), op, position))


# Each order is an index of ``NewsListing`` read forwards or backwards: its first column, then
# the page id as tie-break (keyset cursors, ``beyond``, hold these two values).
ORDERS = {
    "-date": ("-date", "-page_id"),
    "date": ("date", "page_id"),
    "title": ("title", "page_id"),
    "-title": ("-title", "-page_id"),
}


class NewsListing(models.Model):
    """A listed news page: what listings filter and sort on (written by ``mmm_wagtail.listing``)."""

    page = models.OneToOneField(PAGE_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=100)
    translation_key = models.UUIDField()
    url_path = models.TextField()
    title = models.CharField(max_length=255)
    date = models.DateField()
    parent_key = models.UUIDField(null=True)
    go_live_at = models.DateTimeField(null=True)
    expire_at = models.DateTimeField(null=True)
    # When the row was made: the news listed for the first time, or again after leaving (its
    # delegation republished, a restriction lifted) without a publish of its own. Kept by later
    # updates of the row. ``news/?changed_since`` reads it with ``last_published_at``. Null for
    # rows made before it was kept (migration 0016).
    listed_at = models.DateTimeField(null=True)

    objects = NewsListingQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["language", "date", "page"], name="mmm_listing_date"),
            models.Index(fields=["language", "title", "page"], name="mmm_listing_title"),
            models.Index(fields=["translation_key", "language"], name="mmm_listing_translation"),
            # The next scheduled change of any listed item (``NewsListingCount.valid_until``):
            # the first entry of the few rows that have one.
            models.Index(
                fields=["go_live_at"], condition=Q(go_live_at__isnull=False), name="mmm_listing_go_live"
            ),
            models.Index(
                fields=["expire_at"], condition=Q(expire_at__isnull=False), name="mmm_listing_expire"
            ),
        ]

    def __str__(self):
        return f"{self.language} {self.date} {self.title}"


class NewsListingSearch(models.Model):
    """A listed news item's searchable texts as a vector in its language's text search
    configuration (``mmm_wagtail.textsearch``), PostgreSQL only (written by
    ``mmm_wagtail.listing.search`` with the listing row; a GIN index made by migration 0010).

    Apart from ``NewsListing`` so that the rows listings scan and count stay narrow: a vector
    is several hundred bytes, a listing row a hundred."""

    # To the page, not the listing row: deleting a page deletes both through the page.
    page = models.OneToOneField(PAGE_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=100)
    search_vector = SearchVectorField()

    def __str__(self):
        return f"{self.page_id} {self.language}"

    @classmethod
    def in_use(cls):
        """Whether vectors are kept: the listing's database is PostgreSQL."""
        return connections[router.db_for_write(cls)].vendor == "postgresql"


class NewsListingDelegation(models.Model):
    """A listed news item under one delegation (its parent or a related one), by translation key."""

    # To the page, not the listing row: deleting a page deletes both through the page.
    news = models.ForeignKey(PAGE_MODEL, on_delete=models.CASCADE, related_name="+")
    delegation_key = models.UUIDField()
    # Copied from the news row so each delegation's latest news is one index range.
    language = models.CharField(max_length=100)
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["news", "delegation_key"], name="mmm_listing_delegation_once")
        ]
        indexes = [
            models.Index(
                fields=["delegation_key", "language", "date", "news"], name="mmm_listing_delegation"
            ),
        ]

    def __str__(self):
        return f"{self.news_id} {self.delegation_key}"


class NewsListingCount(models.Model):
    """The length of one listing (reader, site roots and filters, hashed in ``key``), stored so
    that a request does not count every match (written and read by ``queries.news_page``).

    Good while no dependency tag of the listing (``cache.dependency_tags``: everything, and the lists
    of the reader's languages) has a version newer than ``version``, and until
    ``valid_until``, the next scheduled go-live or expiry of any listed item, compared with
    the database's clock. ``rebuild_news_listing`` empties it.
    """

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField()
    version = models.BigIntegerField()
    valid_until = models.DateTimeField(null=True)

    def __str__(self):
        return f"{self.key[:12]} = {self.count} @ {self.version}"


class NewsRemovalQuerySet(models.QuerySet):
    def for_site(self, codes, roots):
        """Removals of news in ``codes`` (``locales.fallback_codes``) that were under the site's
        root (``roots``, as ``NewsListingQuerySet.for_reader``) when they left."""
        match = Q(pk__in=[])
        for code in codes:
            match |= under_site(code, roots, unknown_path=True)
        return self.filter(match)

    def still_removed(self):
        """Removals of news that have no listing row again (re-published, moved back):
        those a mirror must still drop."""
        return self.exclude(Exists(NewsListing.objects.filter(page_id=OuterRef("page_id"))))

    def in_order(self, reverse=False):
        """Oldest removal first, the page id as tie-break (the ``mmm_removal_order`` index)."""
        return self.order_by(*(("-removed_at", "-page_id") if reverse else ("removed_at", "page_id")))

    def beyond(self, position, backwards=False):
        """Removals after ``position`` (``(removed_at, page id)``), or before it with ``backwards``:
        the same keyset range as ``NewsListingQuerySet.beyond``."""
        return self.filter(keyset("removed_at", "page_id", "lt" if backwards else "gt", position))


class NewsRemoval(models.Model):
    """A news item that left the listings: its row was dropped (unpublished, deleted, moved or
    restricted out of what a reader may get), so that a mirror of ``news/`` can drop it too
    (the ``removed/`` endpoint). Written by ``mmm_wagtail.listing.rows.forget`` with the
    dropped row's language; no foreign key, since the page may be gone. A news item listed
    again keeps its entry, which ``still_removed()`` leaves out, and is listed again as
    removed, at its new time, when it goes once more."""

    page_id = models.BigIntegerField(primary_key=True)
    language = models.CharField(max_length=100)
    translation_key = models.UUIDField()
    removed_at = models.DateTimeField()
    # The page's ``url_path`` when it left: which site's ``removed/`` lists it. Empty for
    # removals recorded before it was kept (migration 0015) of pages deleted since: every
    # site of their language lists those.
    url_path = models.TextField(default="", blank=True)

    objects = NewsRemovalQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["language", "removed_at", "page_id"], name="mmm_removal_order")]

    def __str__(self):
        return f"{self.page_id} {self.language} removed {self.removed_at}"
