"""``statements``: SQL compiled once per arguments, run (and read fresh) on every call."""

import pytest
from django.db import connection
from django.db.models import Value
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from mmm_wagtail import statements
from mmm_wagtail.models import NewsPage

BUILDS = []


def _titles_query(order):
    BUILDS.append(order)
    return NewsPage.objects.filter(pk__in=statements.IdList("ids")).order_by(order).values_list("pk", "title")


def _dates_query():
    news = NewsPage.objects.filter(pk__in=statements.IdList("ids"))
    return news.order_by("pk").values("pk", "date", "body")


@pytest.fixture(autouse=True)
def _empty_memo():
    statements.clear()
    BUILDS.clear()
    yield
    statements.clear()


def test_compiled_once_per_arguments_and_read_fresh_each_time(demo):
    news = list(NewsPage.objects.order_by("pk"))
    ids = [page.pk for page in news]
    assert statements.fetch(_titles_query, "title", ids=ids[:2]) == sorted(
        ((p.pk, p.title) for p in news[:2]), key=lambda row: row[1]
    )
    NewsPage.objects.filter(pk=ids[0]).update(title="Titre changé")
    with CaptureQueriesContext(connection) as queries:
        rows = statements.fetch(_titles_query, "title", ids=ids)
    assert len(queries) == 1
    assert (ids[0], "Titre changé") in rows and len(rows) == len(ids)
    assert BUILDS == ["title"]  # one build for two lists of ids
    statements.fetch(_titles_query, "-title", ids=ids)
    assert BUILDS == ["title", "-title"]


def _reordered_query():
    news = NewsPage.objects.filter(pk__in=statements.IdList("ids")).annotate(n=Value(7))
    return news.values_list("n", "title", "pk")


def test_columns_come_in_the_order_asked_for(demo):
    page = NewsPage.objects.order_by("pk").first()
    expected = list(NewsPage.objects.filter(pk=page.pk).annotate(n=Value(7)).values_list("n", "title", "pk"))
    assert [tuple(row) for row in statements.fetch(_reordered_query, ids=[page.pk])] == expected


def test_an_empty_list_matches_nothing(demo):
    assert statements.fetch(_titles_query, "title", ids=[]) == []


def test_values_are_converted_as_django_converts_them(demo):
    page = NewsPage.objects.order_by("pk").first()
    (row,) = statements.fetch_dicts(_dates_query, ids=[page.pk])
    assert row["date"] == page.date  # a date, not SQLite's text
    assert list(row["body"].raw_data) == list(page.body.raw_data)  # a StreamValue, as values() gives


def _nothing_query():
    return NewsPage.objects.filter(pk__in=[]).values_list("pk")


def test_a_filter_matching_nothing_runs_no_query(db):
    nothing = _nothing_query
    with CaptureQueriesContext(connection) as queries:
        assert statements.fetch(nothing) == []
    assert len(queries) == 0


def test_a_setting_change_forgets_every_statement(demo):
    ids = list(NewsPage.objects.values_list("pk", flat=True))
    statements.fetch(_titles_query, "title", ids=ids)
    with override_settings(MMM_WAGTAIL={"UNTRANSLATED": "fallback"}):
        statements.fetch(_titles_query, "title", ids=ids)
    assert BUILDS == ["title", "title"]


# -- safe by construction (issue #13) ------------------------------------------------------


def _make(order):
    def build():
        return NewsPage.objects.order_by(order).values_list("pk")

    return build


def test_closures_with_the_same_name_are_refused_not_confused(db):
    # Keyed on module and qualname, these two returned each other's SQL.
    for build in (_make("title"), _make("-title"), lambda: NewsPage.objects.values_list("pk")):
        with pytest.raises(TypeError, match="module-level function"):
            statements.fetch(build)


def test_a_queryset_with_placeholders_evaluates_through_the_orm(demo):
    ids = list(NewsPage.objects.order_by("pk").values_list("pk", flat=True)[:2])
    queryset = _titles_query("pk")
    with statements.bind(ids=ids):
        assert [pk for pk, _title in queryset] == ids
    with pytest.raises(Exception, match=r"IdList\('ids'\) has no values"):
        list(_titles_query("pk"))


def test_without_the_compiler_internals_it_falls_back_to_the_orm(demo, monkeypatch):
    ids = list(NewsPage.objects.order_by("pk").values_list("pk", flat=True))
    expected_rows = statements.fetch(_titles_query, "pk", ids=ids)
    expected_dicts = statements.fetch_dicts(_dates_query, ids=ids)
    statements.clear()

    def missing(query):
        raise AttributeError("selected")  # as on a Django whose Query lacks it

    monkeypatch.setattr(statements, "_column_names", missing)
    assert statements.fetch(_titles_query, "pk", ids=ids) == expected_rows
    assert statements.fetch_dicts(_dates_query, ids=ids) == expected_dicts
    NewsPage.objects.filter(pk=ids[0]).update(title="Lu à nouveau")
    assert (ids[0], "Lu à nouveau") in statements.fetch(_titles_query, "pk", ids=ids)


@override_settings(MMM_WAGTAIL={"MAX_STATEMENTS": 2})
def test_the_least_recently_used_statement_is_evicted(demo):
    ids = [NewsPage.objects.first().pk]
    statements.fetch(_titles_query, "title", ids=ids)
    statements.fetch(_titles_query, "-title", ids=ids)
    statements.fetch(_titles_query, "title", ids=ids)  # used again: "-title" is now the oldest
    statements.fetch(_titles_query, "pk", ids=ids)
    statements.fetch(_titles_query, "title", ids=ids)
    assert BUILDS == ["title", "-title", "pk"]


def test_the_database_is_the_routers_choice(demo, monkeypatch):
    asked = []

    def db_for_read(model, **hints):
        asked.append(model)
        return "default"

    monkeypatch.setattr(statements.router, "db_for_read", db_for_read)
    statements.fetch(_titles_query, "title", ids=[])
    assert asked == [NewsPage]
