"""Benchmark: our ``news/`` listing against Wagtail's own APIs on the same data, in one run.

    .venv/bin/python benchmarks/bench_news.py [--news 2000] [--seconds 5] [--rebuild]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mmm_api_bench .venv/bin/python benchmarks/bench_news.py

Builds (once) a site with three delegations and ``--news`` news items, each with tags,
an image and a third of them listed under a second delegation, then measures in-process
(Django's test client, no network) the requests per second and the SQL queries of:

- ours, ``/api/mmm/news/?limit=20``, with the shared response cache, and without it
  (``CACHE_ALIAS: None``: every request built from the database, the honest number);
- ours without the response cache, each request a page never asked for before (``offset``
  0, 1, 2, …): the listing's statement is compiled anew every time (``statements``);
- Wagtail API v2, ``/api/v2/pages/?type=mmm_wagtail.NewsPage&fields=...&limit=20``;
- Wagtail API v3 (Wagtail 8), ``pages/?type=mmm_wagtail.NewsPage&limit=20`` of Wagtail's own
  instance (``benchmarks/urls.py``: the example site mounts v3 without it), which lists only id,
  title and meta: the cards would need 20 more requests.

A script, not a test: it prints a table and the ratios, it asserts nothing.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

V2_FIELDS = "date,dateline,teaser,tags,related_delegations,image"
TAGS = ["éducation", "droits humains", "soins", "paix", "travail", "familles", "maternité", "petite enfance"]


def build(count):
    from taggit.models import Tag
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Site

    from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsPage, NewsPageTag

    home = Site.objects.get(is_default_site=True).root_page
    if DelegationIndexPage.objects.exists():
        existing = NewsPage.objects.count()
        if existing == count:
            return
        sys.exit(f"The benchmark database holds {existing} news, not {count}: run with --rebuild.")
    print(f"Building {count} news items…", flush=True)
    now = timezone.now()
    index = home.add_child(instance=DelegationIndexPage(title="Délégations", slug="delegations"))
    delegations = [
        index.add_child(
            instance=DelegationPage(
                title=f"MMM {acronym}",
                slug=acronym.lower(),
                organisation=acronym,
                acronym=acronym,
                summary="…",
            )
        )
        for acronym in ("UE", "ONU", "UNESCO")
    ]
    images = [
        get_image_model().objects.create(title=f"image {i}", file=get_test_image_file(size=(1600, 900)))
        for i in range(20)
    ]
    tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
    paragraph = "<p>" + " ".join(["Make Mothers Matter défend la perspective des mères."] * 30) + "</p>"
    through = NewsPage.related_delegations.through
    related, tagged = [], []
    for i in range(count):
        parent = delegations[i % 3]
        page = parent.add_child(
            instance=NewsPage(
                title=f"Actualité numéro {i}",
                slug=f"actualite-{i}",
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i // 2),
                dateline="ONU, Genève" if i % 2 else "",
                body=[{"type": "paragraph", "value": paragraph}] * 3,
                image=images[i % len(images)],
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
        )
        for tag in (tags[i % 8], tags[(i + 3) % 8], tags[(i + 5) % 8]):
            tagged.append(NewsPageTag(content_object_id=page.pk, tag=tag))
        if i % 3 == 0:
            related.append(through(newspage_id=page.pk, delegationpage_id=delegations[(i + 1) % 3].pk))
    NewsPageTag.objects.bulk_create(tagged)
    through.objects.bulk_create(related)
    # Relations written in bulk bypass the signals that keep the listing read model: rebuild it.
    call_command("rebuild_news_listing", verbosity=0)


def count_queries(client, url):
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(queries), len(response.content)


def measure(client, runs, seconds, rounds=10):
    """Requests per second of each run, measured in interleaved rounds.

    The machine may be shared: taking turns spreads any load over every endpoint
    alike, so the ratios stay fair even when the absolute numbers move.
    """
    done = dict.fromkeys(runs, 0)
    spent = dict.fromkeys(runs, 0.0)
    for _ in range(rounds):
        for name, (url, conf) in runs.items():
            with override_settings(MMM_WAGTAIL=conf):
                started = time.perf_counter()
                while time.perf_counter() - started < seconds / rounds:
                    client.get(url(done[name]) if callable(url) else url)
                    done[name] += 1
                spent[name] += time.perf_counter() - started
    return {name: done[name] / spent[name] for name in runs}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per endpoint")
    parser.add_argument("--rebuild", action="store_true", help="flush the benchmark database first")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if args.rebuild:
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
    build(args.news)

    from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available

    client = Client()
    runs = {
        "ours, news/ (shared cache)": ("/api/mmm/news/?limit=20", {}),
        "ours, news/ (no cache)": ("/api/mmm/news/?limit=20", {"CACHE_ALIAS": None}),
        # A new offset every request, past the warm-up's: nothing compiled before.
        "ours, news/ (no cache, new pages)": (
            lambda n: f"/api/mmm/news/?limit=20&offset={(n + 10) % (args.news - 20)}",
            {"CACHE_ALIAS": None},
        ),
        "Wagtail API v2 pages/": (
            f"/api/v2/pages/?type=mmm_wagtail.NewsPage&fields={V2_FIELDS}&limit=20",
            {},
        ),
    }
    if wagtail_v3_available():
        runs["Wagtail API v3 pages/ (no cards)"] = (
            "/api/v3-wagtail/pages/?type=mmm_wagtail.NewsPage&limit=20",
            {},
        )

    print(f"\n{connection.vendor}, {args.news} news, limit=20, {args.seconds:g} s per endpoint\n")
    sizes = {}
    for name, (url, conf) in runs.items():
        # A run of new pages warms up on a page its measuring never asks for.
        first = url(-1) if callable(url) else url
        with override_settings(MMM_WAGTAIL=conf):
            for _ in range(5):  # warm up: renditions, caches, connections
                client.get(first)
            sizes[name] = count_queries(client, first)
    rates = measure(client, runs, args.seconds)
    print(f"{'endpoint':36} {'req/s':>9} {'queries':>8} {'bytes':>8}")
    for name, rate in rates.items():
        print(f"{name:36} {rate:9.1f} {sizes[name][0]:8d} {sizes[name][1]:8d}")
    print()
    for ours in ("ours, news/ (no cache)", "ours, news/ (no cache, new pages)", "ours, news/ (shared cache)"):
        for name, rate in rates.items():
            if not name.startswith("ours"):
                print(f"{ours} / {name}: {rates[ours] / rate:.1f}×")


if __name__ == "__main__":
    main()
