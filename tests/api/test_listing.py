"""The news listing read model: its rows, the rebuild command, drift detection, the backfill."""

import ast
import datetime
import importlib
import inspect

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from mmm_wagtail import queries
from mmm_wagtail.listing.rows import drift
from mmm_wagtail.models import NewsListing, NewsListingDelegation, NewsListingSearch, NewsPage
from mmm_wagtail.models.querysets import latest_news_ids

from .conftest import make_news


def _listed():
    return set(NewsListing.objects.values_list("page_id", flat=True))


def test_rows_follow_publish_unpublish_restrict_move_and_delete(tree):
    _, eu, un = tree
    page = make_news(eu, related=[un])
    draft = make_news(eu, publish=False)
    assert _listed() == {page.pk}
    keys = set(NewsListingDelegation.objects.filter(news_id=page.pk).values_list("delegation_key", flat=True))
    assert keys == {eu.translation_key, un.translation_key}
    page.unpublish()
    assert _listed() == set()
    page.save_revision().publish()
    draft.save_revision().publish()
    assert _listed() == {page.pk, draft.pk}
    restriction = PageViewRestriction.objects.create(page=eu, restriction_type="login")
    assert _listed() == set()
    restriction.delete()
    assert _listed() == {page.pk, draft.pk}
    page.move(un, pos="last-child")
    assert NewsListing.objects.get(pk=page.pk).parent_key == un.translation_key
    NewsPage.objects.get(pk=page.pk).delete()
    assert _listed() == {draft.pk}
    assert not NewsListingDelegation.objects.filter(news_id=page.pk).exists()
    assert drift() == []


def test_a_renamed_delegation_moves_its_news_url_paths(tree):
    _, eu, _ = tree
    page = make_news(eu)
    eu.slug = "europe"
    eu.save_revision().publish()
    assert NewsListing.objects.get(pk=page.pk).url_path.endswith("/europe/" + page.slug + "/")
    assert drift() == []


def test_check_reports_drift_and_rebuild_repairs_it(tree, capsys):
    _, eu, _ = tree
    pages = [make_news(eu, date=datetime.date(2024, 1, day)) for day in (1, 2, 3)]
    call_command("rebuild_news_listing", "--check")
    # Changes behind the signals' back (a bulk update, rows lost): drift.
    NewsPage.objects.filter(pk=pages[0].pk).update(title="Changed in bulk")
    NewsListing.objects.filter(pk=pages[1].pk).delete()
    with pytest.raises(CommandError, match="2 news page"):
        call_command("rebuild_news_listing", "--check")
    call_command("rebuild_news_listing")
    assert "3 row(s)" in capsys.readouterr().out
    call_command("rebuild_news_listing", "--check")
    assert drift() == []


def _historical_apps(migration):
    """The models as they stood after ``migration`` of this package (what ``migrate`` hands it)."""
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state(("mmm_wagtail", migration)).apps


def test_the_migration_backfills_existing_news_with_its_historical_models(tree):
    _, eu, un = tree
    pages = [make_news(eu, related=[un]) for _ in range(3)]
    make_news(eu, publish=False)
    restricted = make_news(un)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    NewsListing.objects.all().delete()
    NewsListingDelegation.objects.all().delete()
    NewsListingSearch.objects.all().delete()
    migration = importlib.import_module("mmm_wagtail.migrations.0003_scale_news_listing")
    migration.backfill(_historical_apps("0003_scale_news_listing"), None)
    assert _listed() == {page.pk for page in pages}
    # 0010 adds the search vectors (PostgreSQL), from the texts its own frozen copy reads.
    vectors = importlib.import_module("mmm_wagtail.migrations.0010_listing_search")
    vectors.backfill(_historical_apps("0010_listing_search"), _Editor())
    assert drift() == []
    if connection.vendor == "postgresql":
        assert set(NewsListingSearch.objects.values_list("pk", flat=True)) == _listed()


class _Editor:
    """What a data migration uses of a schema editor, on the test's connection."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_backfill_depends_on_no_code_that_changes_later():
    # A migration runs on sites years after it was written: it must not import the package's
    # live listing code, whose rules and rows may change with later migrations.
    source = inspect.getsource(importlib.import_module("mmm_wagtail.migrations.0003_scale_news_listing"))
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert imported and not {name for name in imported if name.split(".")[0] == "mmm_wagtail"}


def test_a_page_of_news_is_one_query_whatever_its_size(tree):
    _, eu, _ = tree
    for day in range(1, 8):
        make_news(eu, date=datetime.date(2024, 1, day))
    # The first request counts and stores the length (queries.news_page); then one query.
    with CaptureQueriesContext(connection) as captured:
        assert queries.news_page("fr", None, queries.NewsFilters(), 0, 2)[1] == 7
    assert len(captured) == 4
    for limit in (1, 5):
        with CaptureQueriesContext(connection) as captured:
            ids, count = queries.news_page("fr", None, queries.NewsFilters(), 0, limit)
        assert len(captured) == 1 and len(ids) == limit and count == 7


def test_latest_news_of_all_delegations_is_one_query(tree):
    _, eu, un = tree
    for day in range(1, 6):
        make_news(eu, date=datetime.date(2024, 1, day), related=[un] if day % 2 else [])
    with CaptureQueriesContext(connection) as captured:
        latest = latest_news_ids("fr", [eu, un], None)
    assert len(captured) == 1
    by_date = list(NewsPage.objects.order_by("-date").values_list("pk", flat=True))
    assert latest == {eu.pk: by_date[:2], un.pk: [by_date[0], by_date[2]]}


def test_a_draft_save_or_a_lock_reads_and_writes_no_listing_row(tree):
    """Wagtail's bookkeeping saves (``save_revision``'s, a lock's) leave what readers get as it
    was: the listing's upkeep runs on the publish, not on each draft."""
    _, eu, _ = tree
    news = make_news(eu, title="Published")
    row = NewsListing.objects.get(page=news)
    news.title = "Draft title"
    with CaptureQueriesContext(connection) as draft:
        news.save_revision()
        news.locked = True
        news.save(update_fields=["locked"])
    touched = [query["sql"] for query in draft.captured_queries if "mmm_wagtail_newslisting" in query["sql"]]
    assert touched == []
    assert NewsListing.objects.get(page=news).title == row.title == "Published"
    news.save_revision().publish()
    assert NewsListing.objects.get(page=news).title == "Draft title"
    assert drift() == []
