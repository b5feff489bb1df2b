"""Benchmark: what publishing a news item costs, and the news listing's share of it.

    .venv/bin/python benchmarks/bench_publish.py [--rounds 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mmm_publish_bench \
        .venv/bin/python benchmarks/bench_publish.py

A database of its own (a fresh SQLite file in the temporary folder unless ``DATABASE_URL``,
which must name an empty database: ``createdb -h 127.0.0.1 -U postgres mmm_publish_bench``),
migrated, with the demo content. Each round renames one of the demo's news items and publishes
a revision, as the admin's "Publish" does (Wagtail's ``save_revision().publish()``, every
receiver included), inside a transaction; likewise a draft save (``save_revision()`` alone);
then it refreshes the listing rows of the demo's news directly (``listing.rows.refresh``, what
a publish of a delegation above them runs). Prints the median and mean time of each (wall
clock, milliseconds) and the queries of one publish and of one draft save.

Run it on two checkouts to compare a change (``git worktree add /tmp/before HEAD``): the time
is the machine's, only the ratio between two runs in one sitting means anything.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
DB_FILE = Path(tempfile.gettempdir()) / f"mmm-wagtail-bench-publish-{os.getpid()}.sqlite3"
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from mmm_wagtail.listing import rows  # noqa: E402
from mmm_wagtail.models import NewsPage  # noqa: E402


def _timed(function, rounds):
    times = []
    for n in range(rounds):
        start = time.perf_counter()
        function(n)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    try:
        call_command("migrate", verbosity=0)
        call_command("load_demo_content", verbosity=0)
        news = NewsPage.objects.filter(locale__language_code="fr").order_by("pk").first()
        ids = list(NewsPage.objects.order_by("pk").values_list("pk", flat=True))

        def publish(n):
            page = NewsPage.objects.get(pk=news.pk)
            page.title = f"Actualité {n}"
            with transaction.atomic():
                page.save_revision().publish()

        def draft(n):
            page = NewsPage.objects.get(pk=news.pk)
            page.title = f"Brouillon {n}"
            with transaction.atomic():
                page.save_revision()

        def refresh(_n):
            rows.refresh(ids)

        publish(-1)  # the first of a process compiles what later ones reuse
        with CaptureQueriesContext(connection) as queries:
            publish(-2)
        published = _timed(publish, args.rounds)
        with CaptureQueriesContext(connection) as draft_queries:
            draft(-3)
        drafted = _timed(draft, args.rounds)
        refreshed = _timed(refresh, args.rounds)
        print(f"{connection.vendor}, {len(ids)} news, {args.rounds} rounds")
        print(
            f"publish of one news item: median {statistics.median(published):.2f} ms, "
            f"mean {statistics.mean(published):.2f} ms, {len(queries)} queries"
        )
        print(
            f"draft save (save_revision, as the admin's Save draft and Wagtail 8's autosave): median "
            f"{statistics.median(drafted):.2f} ms, mean {statistics.mean(drafted):.2f} ms, "
            f"{len(draft_queries)} queries"
        )
        print(
            f"listing refresh of all {len(ids)} news: median {statistics.median(refreshed):.2f} ms, "
            f"mean {statistics.mean(refreshed):.2f} ms"
        )
    finally:
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
