"""Benchmark of issue #12: every listing endpoint at 2,000 and at 100,000 news per language, in one run.

    .venv/bin/python benchmarks/scale.py [--runs 30] [--sizes 2000 100000] [--rebuild]

PostgreSQL only (127.0.0.1:5432, user postgres, or ``--server postgres://…``). Each size has its
database, ``mmm_bench_2k`` and ``mmm_bench_100k``, built in bulk by ``build_scale.py`` on the
first run and kept for the next ones (``--rebuild`` drops and builds them again). Each size is
measured in a process of its own (Django's test client, in-process, no network): the median
milliseconds of ``--runs`` requests per endpoint after two warm-up requests, uncached
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


def _name(size):
    return f"mmm_bench_{size // 1000}k" if size % 1000 == 0 else f"mmm_bench_{size}"


def endpoints():
    """``{row: url}`` on the database this process is set up for (ids looked up, not assumed)."""
    from taggit.models import Tag

    from mmm_wagtail.models import DelegationPage, NewsPage

    onu = DelegationPage.objects.get(slug="onu", locale__language_code="fr")
    news = NewsPage.objects.filter(locale__language_code="fr").order_by("pk")
    middle = news[news.count() // 2]
    tag = Tag.objects.get(name="éducation")
    return {
        "news/?limit=20": "/api/mmm/news/?limit=20",
        "news/?delegation=onu": "/api/mmm/news/?delegation=onu",
        f"news/?tag={tag.slug} (15%)": f"/api/mmm/news/?tag={tag.slug}",
        "news/?search=mères (every fr item)": "/api/mmm/news/?search=mères",
        "news/?locale=en": "/api/mmm/news/?locale=en",
        "news/?offset=1000": "/api/mmm/news/?offset=1000",
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


def measure(runs):
    """Child process: ``{row: [median ms, queries]}`` as JSON on stdout."""
    sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings

    client = Client()

    def median_ms(url):
        times = []
        for n in range(runs + 2):
            started = time.perf_counter()
            response = client.get(url)
            spent = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
            if n >= 2:  # two warm-ups: renditions, connections, compiled statements
                times.append(spent * 1000)
        return statistics.median(times)

    def queries(url):
        seen = []
        with connection.execute_wrapper(lambda execute, sql, *rest: seen.append(sql) or execute(sql, *rest)):
            client.get(url)
        return len(seen)

    result = {}
    with override_settings(MMM_WAGTAIL={"CACHE_ALIAS": None}):
        for row, url in endpoints().items():
            result[row] = [median_ms(url), queries(url)]
            print(f"  {row}: {result[row][0]:.1f} ms", file=sys.stderr, flush=True)
    # The shared response cache (the example settings' default): a repeated request.
    result["news/?limit=20, response cache"] = [median_ms("/api/mmm/news/?limit=20"), 0]
    print(json.dumps(result))


def _run(size, args):
    env = dict(os.environ, DATABASE_URL=f"{args.server}/{_name(size)}")
    python = sys.executable
    if args.rebuild:
        subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {_name(size)}"])
    subprocess.run(
        ["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {_name(size)}"],
        stderr=subprocess.DEVNULL,
    )
    build = [python, str(ROOT / "benchmarks" / "build_scale.py"), "--news", str(size), "--reuse"]
    subprocess.run(build, env=env, check=True)
    print(f"measuring {_name(size)}…", file=sys.stderr, flush=True)
    out = subprocess.run(
        [python, __file__, "--child", "--runs", str(args.runs)], env=env, check=True, stdout=subprocess.PIPE
    )
    return json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="requests measured per endpoint")
    parser.add_argument("--sizes", type=int, nargs=2, default=[2000, 100000], help="news per language")
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server URL, without a database")
    parser.add_argument("--rebuild", action="store_true", help="drop the databases and build them anew")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure(args.runs)
    small, large = args.sizes
    results = {size: _run(size, args) for size in (small, large)}
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
    for size, r in ((small, a), (large, b)):
        print(f"\nWagtail API v2 / news/?limit=20 at {size:,}: {r[v2][0] / r['news/?limit=20'][0]:.1f}×")


if __name__ == "__main__":
    main()
