"""The listed news' search vectors (PostgreSQL): each item's searchable texts in its language's
text search configuration (``mmm_wagtail.textsearch``), one ``NewsListingSearch`` row per
listing row.

Written with the listing rows (``rows.refresh``, ``rows.rebuild``) and when a tag is renamed,
one ``INSERT … SELECT … FROM (VALUES …) ON CONFLICT`` per batch; dropped with them
(``rows.forget``). Other databases keep no vectors and search through Wagtail's backend.
"""

from django.db import connections, router
from django.utils import translation

from ..models import NewsListingSearch, NewsPage
from ..textsearch import config_for, document, searchable, vector_sql

__all__ = ["BATCH", "stale_vectors", "write_vectors"]

# Pages read and vectors written per statement (5 parameters each: PostgreSQL takes 65,535).
BATCH = 2000


def _statement_parts():
    """The connection, the quoted table and the vector's SQL over ``doc`` (``_documents``)."""
    connection = connections[router.db_for_write(NewsListingSearch)]
    table = connection.ops.quote_name(NewsListingSearch._meta.db_table)
    return connection, table, vector_sql("doc.config", "doc.title", "doc.body")


def _documents(languages):
    """``(VALUES …) AS doc`` SQL and its parameters for the news ``{page id: language}``: page
    id, language, configuration, title and the other texts; None when none is a news page."""
    pages = searchable(NewsPage.objects.filter(pk__in=list(languages)))
    documents = []
    for page in pages:
        # Texts a block derives (a label, a display value) in the page's language, not in the
        # language of whatever request or command writes the vector.
        with translation.override(languages[page.pk]):
            documents.append((page.pk, languages[page.pk], config_for(languages[page.pk]), *document(page)))
    if not documents:
        return None, []
    rows = ", ".join(["(%s::integer, %s, %s, %s, %s)"] * len(documents))
    sql = f"(VALUES {rows}) AS doc (page_id, language, config, title, body)"
    return sql, [value for row in documents for value in row]


def write_vectors(languages):
    """Write (insert or replace) the search vectors of the listed news ``{page id: language}``."""
    if not languages or not NewsListingSearch.in_use():
        return
    pks = sorted(languages)
    for start in range(0, len(pks), BATCH):
        _write_batch({pk: languages[pk] for pk in pks[start : start + BATCH]})


def _write_batch(languages):
    values, params = _documents(languages)
    if values is None:
        return
    connection, table, vector = _statement_parts()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (page_id, language, search_vector)"
            f" SELECT doc.page_id, doc.language, {vector} FROM {values}"
            " ON CONFLICT (page_id) DO UPDATE"
            " SET language = EXCLUDED.language, search_vector = EXCLUDED.search_vector",
            params,
        )


def stale_vectors(languages):
    """Ids among the listed news ``{page id: language}`` (at most ``BATCH``) whose stored vector
    is missing or differs from the one their texts and configuration give now
    (``rebuild_news_listing --check``)."""
    if not languages or not NewsListingSearch.in_use():
        return []
    values, params = _documents(languages)
    if values is None:
        return []
    connection, table, vector = _statement_parts()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT doc.page_id FROM {values} LEFT JOIN {table} s ON s.page_id = doc.page_id"
            f" WHERE s.language IS DISTINCT FROM doc.language OR s.search_vector IS DISTINCT FROM ({vector})",
            params,
        )
        return sorted(pk for (pk,) in cursor.fetchall())
