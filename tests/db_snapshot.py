"""Content built once per worker and written back, row for row, in each test that asks for it.

``load_demo_content`` (pages, revisions, wagtail-localize's translations, the listing read
model, the search index) took seconds per test on two busy cores. ``Snapshot.of(load)`` runs it
once inside a transaction it rolls back and keeps the rows of every table the load changed;
``restore()``, inside the test's transaction, replaces those tables' rows with them: one DELETE
and one multi-row INSERT per table, so the test sees what the load itself would have left, ids
included. Triggers still run (SQLite's full-text index of Wagtail's search entries follows its
table); PostgreSQL's sequences are moved past the restored ids as ``loaddata`` does.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


class Snapshot:
    def __init__(self, tables):
        self.tables = tables  # {table: (columns, rows)}

    @classmethod
    def of(cls, load):
        """The tables ``load()`` changes, with their rows after it (the load is rolled back)."""
        with transaction.atomic():
            before = _read(_tables())
            load()
            after = _read(_tables())
            transaction.set_rollback(True)
        changed = {
            table: content
            for table, content in after.items()
            if table not in before or _rows_key(before[table][1]) != _rows_key(content[1])
        }
        return cls(changed)

    def restore(self):
        quote = connection.ops.quote_name
        # Foreign keys are deferred (Django creates them so on SQLite and PostgreSQL): the order of
        # the tables does not matter inside one transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.tables.items():
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - our table names
                if rows:
                    names = ", ".join(quote(column) for column in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
            models = [
                model
                for model in apps.get_models(include_auto_created=True)
                if model._meta.db_table in self.tables
            ]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def _tables():
    """The models' tables (Django's own list): not SQLite's full-text tables, which triggers fill."""
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _read(tables):
    content = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            content[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return content


def _rows_key(rows):
    return sorted(map(repr, rows))
