"""Listing SQL compiled once per process and arguments, run on every call.

Building and compiling the queryset of a listing (live, public, current pages of a locale
within a site, with its filters) costs the Django ORM more time than SQLite or PostgreSQL
take to run the SQL. ``fetch(build, *args)`` compiles ``build(*args)`` the first time it
sees ``args`` and then reuses the SQL and its parameters; every call still runs the SQL,
so content is always read fresh: only the SQL text is remembered, never a result.

For that to hold, a ``build`` function must depend on nothing but its arguments, settings
and the schema: no query, no clock (``queries.current`` compares with the database's
``Now()``). The memo is emptied when a setting changes, and bounded.

Lists of ids (a page of news, their images) would make every call a new statement: they
are given as ``IdList`` placeholders, bound when the statement runs, so one statement
serves every page of results. SQLite and PostgreSQL, the two databases the package
supports, take the whole list as one parameter.
"""

import json
import threading

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections
from django.db.models import BigIntegerField, Expression

MAX_STATEMENTS = 512


class IdList(Expression):
    """A list of integer ids bound when the statement runs: ``filter(pk__in=IdList("ids"))``
    compiles once, then ``fetch(build, ids=[...])`` runs it with any list."""

    def __init__(self, name):
        super().__init__(output_field=BigIntegerField())
        self.name = name

    def as_sqlite(self, compiler, connection):
        return "(SELECT value FROM json_each(%s))", [self]

    def as_postgresql(self, compiler, connection):
        return "(SELECT unnest(%s::bigint[]))", [self]

    def as_sql(self, compiler, connection):
        raise NotSupportedError(f"mmm_wagtail supports SQLite and PostgreSQL, not {connection.vendor}.")

    def bind(self, values, connection):
        ids = [int(value) for value in values]
        return json.dumps(ids) if connection.vendor == "sqlite" else ids


_statements = {}
_lock = threading.Lock()


class _Statement:
    """SQL, parameters, column names and Django's value converters of one queryset."""

    def __init__(self, queryset, using):
        query = queryset.query
        compiler = query.get_compiler(using)
        try:
            self.sql, self.params = compiler.as_sql()
        except EmptyResultSet:
            # A filter that matches nothing (``pk__in=[]``): no SQL to run, as Django does.
            self.sql, self.params, self.names, self.converters = None, (), [], []
            return
        # Column names as values() names them (Django 5.2 selects in the order asked for).
        if query.selected:
            self.names = list(query.selected)
        else:
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(selected).items())

    def run(self, connection, lists):
        if self.sql is None:
            return []
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


def _statement(build, args, using):
    key = (using, build.__module__, build.__qualname__, args)
    statement = _statements.get(key)
    if statement is None:
        statement = _Statement(build(*args), using)
        with _lock:
            if len(_statements) >= MAX_STATEMENTS:
                _statements.clear()
            _statements[key] = statement
    return statement


def fetch(build, *args, using=DEFAULT_DB_ALIAS, **lists):
    """The rows (tuples) of the ``values()``/``values_list()`` queryset ``build(*args)``.

    ``args`` must be hashable and, with the settings, determine the SQL entirely;
    ``lists`` bind the queryset's ``IdList`` placeholders by name.
    """
    return _statement(build, args, using).run(connections[using], lists)


def fetch_dicts(build, *args, using=DEFAULT_DB_ALIAS, **lists):
    """Like ``fetch``, each row a dict keyed as ``values()`` would key it."""
    statement = _statement(build, args, using)
    names = statement.names
    return [dict(zip(names, row, strict=True)) for row in statement.run(connections[using], lists)]


def clear(**kwargs):
    with _lock:
        _statements.clear()


setting_changed.connect(clear, dispatch_uid="mmm_wagtail_statements")
