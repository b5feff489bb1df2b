"""The number of SQL queries does not grow with limit, tags, images, links or blocks."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from mmm_wagtail.basepage import Page
from mmm_wagtail.models import NewsFeed, NewsPage
from tests import db_snapshot

from .conftest import make_image, make_news

API = "/api/mmm/"


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API + path)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def _rich_news(parent, others, number, image=None, links=None):
    """A news item with tags, an image, related delegations and a body full of links."""
    document = get_document_model().objects.create(title=f"doc {number}", file="documents/x.pdf")
    feed = NewsFeed.objects.first()
    links = "".join(f'<a linktype="page" id="{p.pk}">p</a>' for p in (links or others))
    body = [
        ("paragraph", f'<p>{links}<a linktype="document" id="{document.pk}">doc</a></p>'),
        ("image", {"image": image.pk if image else None, "alt_text": "", "caption": "c"}),
        ("document", {"document": document.pk, "title": ""}),
        ("call_to_action", {"text": "go", "page": others[0].pk, "url": ""}),
        ("heading", {"text": "h", "level": "h2"}),
        ("quote", {"quote": "q", "attribution": "a"}),
        ("embed", "https://www.youtube.com/watch?v=xyz"),
    ]
    if feed:
        body.append(("news_feed", {"feed": feed.pk, "heading": ""}))
    body = [{"type": kind, "value": value} for kind, value in body]
    return make_news(
        parent,
        date=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
        tags=[f"tag-{number}-{i}" for i in range(3)],
        related=others,
        image=image,
        body=body,
    )


def _warm(client, path):
    # The first request creates image renditions (Wagtail writes them once).
    client.get(API + path)


def _tree_pages(tree_rows):
    return [Page.objects.get(pk=pk).specific for pk in tree_rows.value]


def test_news_listing_queries_do_not_grow_with_limit(tree, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    index, eu, un = tree
    for _ in range(3):
        make_news(eu, tags=["a"], image=make_image())
    _warm(client, "news/?limit=50")
    small = _count(client, "news/?limit=1")
    for number in range(12):
        _rich_news(un, [eu], number, image=make_image())
    _warm(client, "news/?limit=50")
    large = _count(client, "news/?limit=50")
    assert small == large
    assert large <= 7


def test_delegations_and_details_queries_are_constant(tree, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    index, eu, un = tree
    NewsFeed.objects.create(locale=index.locale, title="All", slug="all", item_count=10)
    first = _rich_news(eu, [un], 1, image=make_image())
    # The feed block in the body lists another item too: the translations of the feed's cards
    # are then loaded in one query, as with many items (when a feed lists only the detail's
    # own item, they are known already and that query is skipped).
    make_news(un, date=datetime.date(2023, 1, 1))
    _warm(client, f"news/{first.pk}/")
    _warm(client, "delegations/")
    few = (
        _count(client, "delegations/"),
        _count(client, f"news/{first.pk}/"),
        _count(client, f"delegations/{eu.pk}/"),
        _count(client, f"pages/{index.pk}/"),
        _count(client, "feeds/all/"),
    )
    many_links = [un, eu] + [make_news(eu) for _ in range(5)]
    big = _rich_news(eu, [un], 2, image=make_image(), links=many_links)
    for number in range(3, 15):
        _rich_news(eu, [un], number, image=make_image())
    eu.latest_news_count = 12
    eu.save_revision().publish()
    _warm(client, f"news/{big.pk}/")
    _warm(client, "delegations/")
    _warm(client, f"pages/{index.pk}/")
    _warm(client, "feeds/all/")
    lots = (
        _count(client, "delegations/"),
        _count(client, f"news/{big.pk}/"),
        _count(client, f"delegations/{eu.pk}/"),
        _count(client, f"pages/{index.pk}/"),
        _count(client, "feeds/all/"),
    )
    assert few == lots


def test_a_cached_response_costs_one_query(demo, client):
    # "Has any tag of this entry changed since?": what keeps every process fresh (docs/caching.md).
    client.get(API + "news/")
    assert _count(client, "news/") == 1


def test_a_search_with_more_matches_than_sqlite_has_variables_is_one_parameter(tree):
    # A search backend (SQLite's, Elasticsearch) returns the ids of every match; an IN list of one
    # placeholder per id meets SQLite's limit on variables (32,766 unless its build raises it).

    from mmm_wagtail import queries

    _, eu, _ = tree
    page = make_news(eu)
    matches = (*range(10**6, 10**6 + 40_000), page.pk)
    sent = []

    def parameters(execute, sql, params, many, context):
        sent.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(parameters):
        ids, count = queries.news_page("fr", None, queries.NewsFilters(search_ids=matches))
    assert (ids, count) == ([page.pk], 1)
    assert sent and max(sent) < 50


def _sqlite_work(evaluate):
    """SQLite virtual machine instructions (in thousands) ``evaluate`` makes the database run: the
    work of a query plan, independent of the machine's speed or load."""
    raw = connection.connection
    steps = [0]

    def tick():
        steps[0] += 1
        return 0

    raw.set_progress_handler(tick, 1000)
    try:
        evaluate()
    finally:
        raw.set_progress_handler(None, 1000)
    return steps[0]


@pytest.fixture(scope="session")
def _eu_children_rows(_tree_rows, django_db_blocker):
    def build():
        _, eu, _ = _tree_pages(_tree_rows)
        for number in range(150):
            # Live pages of the locale: what the rule was checked on, one by one.
            eu.add_child(
                instance=NewsPage(title=f"n{number}", slug=f"n{number}", date=datetime.date(2024, 1, 1))
            )

    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(build, base=_tree_rows)  # once per worker (tests/db_snapshot.py)


@pytest.mark.parametrize("query", ["cards", "delegation filter"])
def test_readable_delegations_cost_the_same_work_however_many_news(tree, _eu_children_rows, query):
    # The readable rule (every ancestor live, public, current) is checked on the delegations' own
    # rows: a database without statistics (SQLite) otherwise walked every page of the locale by
    # its locale index and checked the rule on each before joining the delegation table (21 ms
    # of a 40 ms news/ miss at 2,000 news; 25 ms more for news/?delegation=<slug>).
    if connection.vendor != "sqlite":
        pytest.skip("counts SQLite's virtual machine instructions")
    from django.db.models import Q
    from wagtail.models import Site

    from mmm_wagtail import queries as listings
    from mmm_wagtail.locales import site_roots
    from mmm_wagtail.models import DelegationPage

    index, eu, un = tree
    roots = site_roots(Site.objects.get(is_default_site=True))

    def delegations():
        if query == "cards":  # api.cards.locale_delegations
            found = DelegationPage.objects.readable("fr", roots).in_reading_order("fr")
        else:  # the news/ listing's delegation= filter (api.router)
            by_ref = Q(pk__in=[un.pk]) | Q(slug__in=["eu"], locale__language_code__in=["fr"])
            found = listings.current(DelegationPage.objects.filter(by_ref)).order_by("path")
        with CaptureQueriesContext(connection) as queries:
            found = list(found.values_list("pk", flat=True))
        assert len(queries) == 1
        assert found == [eu.pk, un.pk]

    connection.ensure_connection()
    few = _sqlite_work(delegations)
    # 150 live pages of the locale under the EU: what the rule was checked on, one by one.
    _eu_children_rows.restore()
    many = _sqlite_work(delegations)
    assert many <= few + 2, (few, many)


def test_the_readable_rule_plans_no_scan_of_the_page_table(home):
    # A scan of the page table in the rule's plan (even one a condition skips) made PostgreSQL's
    # estimate of every query applying it grow with the page table, past jit_above_cost at
    # 100,000 news per language: JIT compiling (about 2 s under load) then cost 1.6-2 s of a
    # news/ request's translations query. Every ancestor is an index lookup by its path.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    from wagtail.models import Page

    from mmm_wagtail.models.querysets import readable_q

    Page.objects.bulk_create(
        [
            Page(
                title=f"p{n}",
                slug=f"p{n}",
                path=f"0002{n:04d}",
                depth=2,
                url_path=f"/p{n}/",
                locale_id=home.locale_id,
                content_type_id=home.content_type_id,
            )
            for n in range(5000)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailcore_page, wagtailcore_pageviewrestriction")
    sql, params = Page.objects.filter(readable_q(), pk=home.pk).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on wagtailcore_page " not in plan, plan
    assert Page.objects.filter(readable_q(), pk=home.pk).exists()
