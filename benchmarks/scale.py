"""Benchmark of issue #12: every listing endpoint at 2,000 and at 100,000 news per language, in one run.

    .venv/bin/python benchmarks/scale.py [--runs 30] [--sizes 2000 100000] [--rebuild] [--prefix mmm_bench]

PostgreSQL only (127.0.0.1:5432, user postgres, or ``--server postgres://…``). Each size has its
database, ``mmm_bench_2k`` and ``mmm_bench_100k``, built in bulk by ``build_scale.py`` on the
first run and kept for the next ones (``--rebuild`` drops and builds them again). Each size is
measured in a process of its own (Django's test client, in-process, no network), the two
taking turns five requests at a time: the median milliseconds of ``--runs`` requests per
endpoint after two warm-up requests, uncached
(``MMM_WAGTAIL = {"CACHE_ALIAS": None}``: every answer built from the database), and the
SQL queries of one request. Then the table: both sizes, the growth 100k / 2k, and Wagtail API
v2 serving the same 20 cards on the same data for comparison with ``news/?limit=20``.

A script, not a test: it prints, it asserts only that every endpoint answers 200.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
V2_FIELDS = "date,dateline,teaser,tags,related_delegations,image"
FEED = "actualite-des-delegations"


PREFIX = "mmm_bench"
# How deep the deep-page rows read: offset 50,000 (issue #24), or half the listing when smaller.
DEPTH = 50_000
DEEP_OFFSET = "news/?offset=deep (50,000; half the news at 2,000)"
DEEP_CURSOR = "news/?cursor= at the same depth"


def _name(size, prefix=PREFIX):
    return f"{prefix}_{size // 1000}k" if size % 1000 == 0 else f"{prefix}_{size}"


def _deep_cursor(depth):
    """The ``next`` cursor of the page ending ``depth`` news into the French listing (what a
    client following ``next`` from the first page holds there)."""
    from django.http import QueryDict

    from mmm_wagtail import queries
    from mmm_wagtail.api import cursors

    date, pk = queries.news_list("fr", None).values_list("date", "page_id")[depth - 1]
    return cursors.mint("news", QueryDict(""), (date.isoformat(), pk))


def endpoints():
    """``{row: url}`` on the database this process is set up for (ids looked up, not assumed)."""
    from taggit.models import Tag

    from mmm_wagtail.models import DelegationPage, NewsPage

    onu = DelegationPage.objects.get(slug="onu", locale__language_code="fr")
    news = NewsPage.objects.filter(locale__language_code="fr").order_by("pk")
    middle = news[news.count() // 2]
    tag = Tag.objects.get(name="éducation")
    depth = min(DEPTH, news.count() // 2)
    return {
        "news/?limit=20": "/api/mmm/news/?limit=20",
        "news/?delegation=onu": "/api/mmm/news/?delegation=onu",
        f"news/?tag={tag.slug} (15%)": f"/api/mmm/news/?tag={tag.slug}",
        "news/?search=mères (every fr item)": "/api/mmm/news/?search=mères",
        "news/?search=mothers&locale=en (every en item)": "/api/mmm/news/?search=mothers&locale=en",
        "news/?search=mères&locale=en (no en item)": "/api/mmm/news/?search=mères&locale=en",
        "news/?locale=en": "/api/mmm/news/?locale=en",
        "news/?offset=1000": "/api/mmm/news/?offset=1000",
        DEEP_OFFSET: f"/api/mmm/news/?offset={depth}",
        DEEP_CURSOR: f"/api/mmm/news/?cursor={_deep_cursor(depth)}",
        "delegations/": "/api/mmm/delegations/",
        "delegations/{id}/": f"/api/mmm/delegations/{onu.pk}/",
        f"feeds/{FEED}/": f"/api/mmm/feeds/{FEED}/",
        f"feeds/{FEED}/rss/": f"/api/mmm/feeds/{FEED}/rss/",
        "pages/find/?path=/fr/delegations/": "/api/mmm/pages/find/?path=/fr/delegations/",
        "news/{id}/": f"/api/mmm/news/{middle.pk}/",
        "Wagtail API v2, same 20 cards": (
            f"/api/v2/pages/?type=mmm_wagtail.NewsPage&locale=fr&fields={V2_FIELDS}&limit=20"
        ),
    }


def serve():
    """Child process: answers requests from the parent, one JSON line each way.

    First line out: the endpoints. Then per line in, ``[row, n, mode]``: ``n`` requests of
    ``row``, out: their milliseconds (``mode`` "uncached" or "cached"), or for "queries" the
    SQL queries of one request.
    """
    sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings

    client = Client()
    urls = endpoints()
    urls[CACHED] = urls["news/?limit=20"]

    def timed(url):
        started = time.perf_counter()
        response = client.get(url)
        spent = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return spent

    def queries(url):
        seen = []
        with connection.execute_wrapper(lambda execute, sql, *rest: seen.append(sql) or execute(sql, *rest)):
            timed(url)
        return len(seen)

    print(json.dumps(list(urls)), flush=True)
    for line in sys.stdin:
        row, n, mode = json.loads(line)
        conf = {} if mode == "cached" else {"CACHE_ALIAS": None}
        with override_settings(MMM_WAGTAIL=conf):
            answer = queries(urls[row]) if mode == "queries" else [timed(urls[row]) for _ in range(n)]
        print(json.dumps(answer), flush=True)


CACHED = "news/?limit=20, response cache"


class Child:
    """A measuring process on one size's database."""

    def __init__(self, size, args):
        name = _name(size, args.prefix)
        env = dict(os.environ, DATABASE_URL=f"{args.server}/{name}")
        if args.rebuild:
            subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"])
        create = ["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {name}"]
        subprocess.run(create, stderr=subprocess.DEVNULL)
        build = [sys.executable, str(ROOT / "benchmarks" / "build_scale.py"), "--news", str(size), "--reuse"]
        subprocess.run(build, env=env, check=True)
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--child"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.rows = json.loads(self.process.stdout.readline())

    def ask(self, row, n, mode="uncached"):
        self.process.stdin.write(json.dumps([row, n, mode]) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())


def measure(children, runs, rounds=5, only=()):
    """``{size: {row: [median ms, queries]}}``. Both sizes take turns, a few requests at a
    time, so a change in the machine's load falls on both alike (the growth stays fair).
    ``only``: the rows whose name holds one of these strings (all when empty)."""
    result = {size: {} for size in children}
    for row in next(iter(children.values())).rows:
        if only and not any(part in row for part in only):
            continue
        mode = "cached" if row == CACHED else "uncached"
        times = {size: [] for size in children}
        for child in children.values():
            child.ask(row, 2, mode)  # warm-up: renditions, connections, compiled statements
        for turn in range(rounds):
            share = runs // rounds + (turn < runs % rounds)
            for size, child in children.items():
                times[size] += child.ask(row, share, mode)
        for size, child in children.items():
            queries = child.ask(row, 1, "queries") if mode == "uncached" else 0
            result[size][row] = [statistics.median(times[size]), queries]
        print(
            f"  {row}: " + ", ".join(f"{result[s][row][0]:.1f} ms" for s in children),
            file=sys.stderr,
            flush=True,
        )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="requests measured per endpoint")
    parser.add_argument("--sizes", type=int, nargs=2, default=[2000, 100000], help="news per language")
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server URL, without a database")
    parser.add_argument("--rebuild", action="store_true", help="drop the databases and build them anew")
    parser.add_argument(
        "--prefix", default=PREFIX, help=f"the databases' names before _2k, _100k (default {PREFIX})"
    )
    parser.add_argument(
        "--only", nargs="*", default=(), help="measure only the rows whose name holds one of these"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return serve()
    small, large = args.sizes
    children = {size: Child(size, args) for size in (small, large)}
    results = measure(children, args.runs, only=args.only)
    for child in children.values():
        child.process.stdin.close()
        child.process.wait()
    a, b = results[small], results[large]
    v2 = "Wagtail API v2, same 20 cards"
    print(
        f"\nPostgreSQL, uncached (CACHE_ALIAS None), median ms of {args.runs} requests; queries per request\n"
    )
    print(f"| endpoint | {small:,} ms | {large:,} ms | growth | queries {small:,} / {large:,} |")
    print("|---|---:|---:|---:|---:|")
    for row in a:
        growth = b[row][0] / a[row][0]
        print(f"| `{row}` | {a[row][0]:.1f} | {b[row][0]:.1f} | {growth:.1f}× | {a[row][1]} / {b[row][1]} |")
    first_page = "news/?limit=20"
    for size, r in ((small, a), (large, b)):
        if v2 in r and first_page in r:
            print(f"\nWagtail API v2 / news/?limit=20 at {size:,}: {r[v2][0] / r[first_page][0]:.1f}×")
    for size, r in ((small, a), (large, b)):
        if not {first_page, DEEP_CURSOR, DEEP_OFFSET} <= set(r):
            continue
        first = r[first_page][0]
        print(
            f"\nAt {size:,}, deep page / first page: cursor {r[DEEP_CURSOR][0] / first:.1f}×,"
            f" offset {r[DEEP_OFFSET][0] / first:.1f}×"
        )


if __name__ == "__main__":
    main()
