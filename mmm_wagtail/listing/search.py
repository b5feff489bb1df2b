"""The listing rows' search vectors (PostgreSQL): each news item's searchable texts in its
language's text search configuration (``mmm_wagtail.textsearch``).

Written with the rows (``rows.refresh``, ``rows.rebuild``), in one ``UPDATE … FROM (VALUES
…)`` per batch; other databases keep the column empty and search through Wagtail's backend.
"""

from django.db import connections, router

from ..models import NewsListing, NewsPage
from ..textsearch import config_for, document, searchable, vector_sql

__all__ = ["stale_vectors", "write_vectors"]


def _connection():
    return connections[router.db_for_write(NewsListing)]


def _documents(languages):
    """``[(page id, configuration, title, body)]`` for the news ``{page id: language}``."""
    pages = searchable(NewsPage.objects.filter(pk__in=list(languages)))
    return [(page.pk, config_for(languages[page.pk]), *document(page)) for page in pages]


def _values(documents):
    """A ``VALUES`` list of ``documents`` and its parameters."""
    rows = ", ".join(["(%s::integer, %s, %s, %s)"] * len(documents))
    return f"(VALUES {rows}) AS doc (page_id, config, title, body)", [v for doc in documents for v in doc]


# Pages read and vectors written per statement (4 parameters each: PostgreSQL takes 65,535).
BATCH = 2000


def write_vectors(languages):
    """Write the search vectors of the listing rows of the news ``{page id: language}``."""
    if not languages or not NewsListing.keeps_search_vectors():
        return
    pks = sorted(languages)
    for start in range(0, len(pks), BATCH):
        _write_batch({pk: languages[pk] for pk in pks[start : start + BATCH]})


def _write_batch(languages):
    connection = _connection()
    documents = _documents(languages)
    if not documents:
        return
    table = connection.ops.quote_name(NewsListing._meta.db_table)
    values, params = _values(documents)
    vector = vector_sql("doc.config", "doc.title", "doc.body")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET search_vector = {vector} FROM {values} WHERE {table}.page_id = doc.page_id",
            params,
        )


def stale_vectors(languages):
    """Ids among the listed news ``{page id: language}`` (at most ``BATCH``) whose stored vector
    differs from the one their texts and configuration give now (``rebuild_news_listing --check``)."""
    if not languages or not NewsListing.keeps_search_vectors():
        return []
    connection = _connection()
    documents = _documents(languages)
    if not documents:
        return []
    table = connection.ops.quote_name(NewsListing._meta.db_table)
    values, params = _values(documents)
    vector = vector_sql("doc.config", "doc.title", "doc.body")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT doc.page_id FROM {values} JOIN {table} ON {table}.page_id = doc.page_id"
            f" WHERE {table}.search_vector IS DISTINCT FROM ({vector})",
            params,
        )
        return sorted(pk for (pk,) in cursor.fetchall())
