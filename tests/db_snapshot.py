"""Content built once per worker and written back, row for row, in each test that asks for it.

``load_demo_content`` (pages, revisions, wagtail-localize's translations, the listing read
model, the search index) took seconds per test on two busy cores, and so did the page trees
the API, feed and syndication tests build with the package's own code. ``Snapshot.of(load)``
runs the real loader or builder once inside a transaction it rolls back and keeps the rows of
every table the load changed (and what ``load()`` returned, e.g. the pages' ids, as
``value``); ``restore()``, inside the test's transaction, replaces those tables' rows with
them: one DELETE and one multi-row INSERT per table, so the test sees what the load itself
would have left, ids included. Triggers still run (SQLite's full-text index of Wagtail's search
entries follows its table); PostgreSQL's sequences are moved past the restored ids as
``loaddata`` does. As the snapshot is made each run, in each worker, by the loader itself, a
change to the loader shows up in the next run.

A restore never lands on rows a test made: it first checks that the tables it replaces hold
what they held when the snapshot was made (the migrated template's rows, or ``base``'s), and
fails naming them otherwise. So a fixture that restores a snapshot goes before any fixture
that writes (see ``tests/api/conftest.py``'s ``tree``), and a test that makes its own content
before it wants the demo's (``test_demo_loader_is_idempotent``) calls the loader, not a
snapshot.

``Snapshot.of(load, base=other)`` restores ``other`` (and its own bases) first and keeps only
what ``load`` changed on top of it: its ``restore()`` expects ``other``'s rows, restored just
before (by the fixture ``other`` belongs to).
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


class RestoreOverTestRows(AssertionError):
    """A snapshot was about to replace rows made since the state it was taken from."""


class Snapshot:
    def __init__(self, tables, start, value=None, base=None):
        self.tables = tables  # {table: (columns, rows)}
        self.start = start  # {table: the rows' key before the load}, for the check in restore()
        self.value = value
        self.base = base

    @classmethod
    def of(cls, load, base=None):
        """The tables ``load()`` changes, with their rows after it (the load is rolled back)."""
        with transaction.atomic():
            _reload_flushed_database()
            for layer in base.layers() if base is not None else ():
                layer.restore()
            before = _read(_tables())
            value = load()
            after = _read(_tables())
            transaction.set_rollback(True)
        changed = {
            table: content
            for table, content in after.items()
            if table not in before or _rows_key(before[table][1]) != _rows_key(content[1])
        }
        start = {table: _rows_key(before[table][1]) if table in before else [] for table in changed}
        return cls(changed, start, value, base)

    def layers(self):
        """The snapshots to restore, in order, for this one's rows: its bases', then its own."""
        return [*(self.base.layers() if self.base else ()), self]

    def restore(self, rewritten=()):
        """The snapshot's rows in place of its tables'. ``rewritten``: tables the caller knows
        were written since the snapshot's start by something other than the test's own steps
        (their rows are replaced without the check)."""
        quote = connection.ops.quote_name
        # Foreign keys are deferred (Django creates them so on SQLite and PostgreSQL): the order of
        # the tables does not matter inside one transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            checked = [table for table in self.tables if table not in rewritten]
            current = _read(checked)
            overwritten = sorted(
                table for table in checked if _rows_key(current[table][1]) != self.start[table]
            )
            if overwritten:
                raise RestoreOverTestRows(
                    "a snapshot restore would replace rows made since "
                    + ("its base snapshot was restored" if self.base else "the migrated template")
                    + f" in {', '.join(overwritten)}: restore it before any fixture or step that writes"
                )
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


def _reload_flushed_database():
    """A snapshot first asked for by a transactional test (the browser tests) may be made after
    an earlier one flushed the database: the rows Wagtail's migrations made come back first, as
    Django's own serialized rollback gives them back to the next such test (inside the
    transaction the snapshot rolls back, so the test itself finds the database as it was)."""
    from wagtail.models import Site

    serialized = getattr(connection, "_test_serialized_contents", None)
    if serialized and not Site.objects.exists():
        connection.creation.deserialize_db_from_string(serialized)


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
