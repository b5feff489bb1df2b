"""Listing SQL compiled once per process and arguments, run on every call.

Building and compiling the queryset of a listing (live, public, current pages of a locale
within a site, with its filters) costs the Django ORM more time than SQLite or PostgreSQL
take to run the SQL; so does the readable rule the news listing's rows are kept by, on
every save (``listing.rows``). ``fetch(build, *args)`` compiles ``build(*args)`` the first time it
sees ``args`` and then reuses the SQL and its parameters; every call still runs the SQL,
so content is always read fresh: only the SQL text is remembered, never a result.

For that to hold, a ``build`` function must depend on nothing but its arguments, settings
and the schema: no query, no clock (``queries.current`` compares with the database's
``Now()``). The memo is emptied when a setting changes, and bounded.

Lists of ids (a page of news, their images) would make every call a new statement: they
are given as ``IdList`` placeholders, bound when the statement runs, so one statement
serves every page of results. SQLite and PostgreSQL, the two databases the package
supports, take the whole list as one parameter. Nothing else that changes per request
(page bounds, dates, search results) belongs in the arguments: each value would compile
and keep a statement of its own.

Safe by construction:

- the memo is keyed on the ``build`` function object itself; closures, lambdas and
  functions defined inside another are refused (their SQL could depend on what they
  capture, which the key cannot see);
- the memo is bounded and evicts the least recently used statement;
- the database is the one Django's routers choose for reading the queryset's model;
- the internals of Django's compiler it reads (``query.selected`` or ``values_select``,
  ``compiler.select``, ``col_count``, ``get_converters``) are feature-detected: without
  them, ``fetch`` evaluates the queryset through the ORM on every call, with the same
  result;
- a queryset holding ``IdList`` placeholders also evaluates through the ORM inside
  ``bind(ids=...)``, and outside it fails with an error naming the placeholder.
"""

import contextlib
import contextvars
import json
import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import NotSupportedError, connections, router
from django.db.models import BigIntegerField, Expression

from . import conf

# ``IdList`` values for querysets evaluated by the ORM (``bind``), and the flag that makes
# them compile as placeholders while ``_Statement`` compiles.
_bound = contextvars.ContextVar("mmm_wagtail_statement_lists", default=None)
_compiling = contextvars.ContextVar("mmm_wagtail_statement_compiling", default=False)


__all__ = ["IdList", "Ids", "bind", "clear", "fetch", "fetch_dicts"]


@contextlib.contextmanager
def bind(**lists):
    """Evaluate querysets holding ``IdList`` placeholders through the ORM with these lists."""
    token = _bound.set({**(_bound.get() or {}), **lists})
    try:
        yield
    finally:
        _bound.reset(token)


class IdList(Expression):
    """A list of integer ids bound when the statement runs: ``filter(pk__in=IdList("ids"))``
    compiles once, then ``fetch(build, ids=[...])`` runs it with any list."""

    def __init__(self, name):
        super().__init__(output_field=BigIntegerField())
        self.name = name

    def _param(self, connection):
        if _compiling.get():
            return self
        lists = _bound.get()
        if lists is None or self.name not in lists:
            raise NotSupportedError(
                f"IdList({self.name!r}) has no values: run the queryset through statements.fetch(..., "
                f"{self.name}=[...]) or evaluate it inside statements.bind({self.name}=[...])."
            )
        return self.bind(lists[self.name], connection)

    def as_sqlite(self, compiler, connection):
        return "(SELECT value FROM json_each(%s))", [self._param(connection)]

    def as_postgresql(self, compiler, connection):
        return "(SELECT unnest(%s::bigint[]))", [self._param(connection)]

    def as_sql(self, compiler, connection):
        raise NotSupportedError(f"mmm_wagtail supports SQLite and PostgreSQL, not {connection.vendor}.")

    def bind(self, values, connection):
        ids = [int(value) for value in values]
        return json.dumps(ids) if connection.vendor == "sqlite" else ids


class Ids(IdList):
    """A list of integer ids carried by the expression itself, sent as one parameter (a JSON
    array on SQLite, an array on PostgreSQL) whatever its length: ``filter(pk__in=Ids(ids))``.
    For lists made per request (a search backend's matches), where ``IN`` with one placeholder
    per id would exceed SQLite's limit on variables (32,766) and compile a new statement per
    length."""

    def __init__(self, values):
        super().__init__("ids")
        self.values = tuple(int(value) for value in values)

    def _param(self, connection):
        return self.bind(self.values, connection)


_statements = OrderedDict()
_lock = threading.Lock()


def _column_names(query):
    # Django 5.2+ keeps the columns in the order values() asked for them in ``selected``.
    selected = getattr(query, "selected", None)
    if selected:
        return list(selected)
    return [*query.extra_select, *query.values_select, *query.annotation_select]


class _Statement:
    """SQL, parameters, column names and Django's value converters of one queryset; or,
    where Django's compiler lacks what this reads, the queryset itself (``orm``)."""

    orm = None

    def __init__(self, queryset, using):
        self.using = using
        query = queryset.query
        compiler = query.get_compiler(using)
        token = _compiling.set(True)
        try:
            self.sql, self.params = compiler.as_sql()
            self.names = _column_names(query)
            selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
            self.converters = list(compiler.get_converters(selected).items())
        except EmptyResultSet:
            # A filter that matches nothing (``pk__in=[]``): no SQL to run, as Django does.
            self.sql, self.params, self.names, self.converters = None, (), [], []
        except AttributeError:
            # A Django whose compiler differs: the plain ORM, same rows, compiled each call.
            self.orm = queryset
            self.names = None
        finally:
            _compiling.reset(token)

    def _orm_rows(self, lists):
        with bind(**lists):
            return list(self.orm.all())  # all(): a fresh queryset, never a cached result

    def run(self, lists):
        if self.orm is not None:
            return [
                tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in self._orm_rows(lists)
            ]
        if self.sql is None:
            return []
        connection = connections[self.using]
        params = [
            param.bind(lists[param.name], connection) if isinstance(param, IdList) else param
            for param in self.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [self._convert(list(row), connection) for row in rows]
        return rows

    def _convert(self, row, connection):
        for position, (functions, expression) in self.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return row

    def dicts(self, lists):
        if self.orm is not None:
            return [dict(row) for row in self._orm_rows(lists)]  # a values() queryset: dicts already
        return [dict(zip(self.names, row, strict=True)) for row in self.run(lists)]


def _check_build(build):
    if getattr(build, "__closure__", None) or "<" in getattr(build, "__qualname__", "<"):
        raise TypeError(
            f"statements need a module-level function, not {build!r}: the SQL of a closure, lambda "
            "or nested function may depend on what it captures, which the memo cannot see."
        )


def _statement(build, args):
    key = (build, args)
    with _lock:
        statement = _statements.get(key)
        if statement is not None:
            _statements.move_to_end(key)
            return statement
    _check_build(build)
    queryset = build(*args)
    statement = _Statement(queryset, router.db_for_read(queryset.model))
    with _lock:
        _statements[key] = statement
        while len(_statements) > conf.get("MAX_STATEMENTS"):
            _statements.popitem(last=False)
    return statement


def fetch(build, *args, **lists):
    """The rows (tuples) of the ``values_list()`` queryset ``build(*args)``.

    ``build`` is a module-level function; ``args`` must be hashable and, with the settings,
    determine the SQL entirely; ``lists`` bind the queryset's ``IdList`` placeholders by
    name. The database is the router's choice for the model.
    """
    return _statement(build, args).run(lists)


def fetch_dicts(build, *args, **lists):
    """Like ``fetch``, each row a dict keyed as ``values()`` would key it."""
    return _statement(build, args).dicts(lists)


def clear(**kwargs):
    with _lock:
        _statements.clear()


setting_changed.connect(clear, dispatch_uid="mmm_wagtail_statements")
