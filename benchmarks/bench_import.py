"""Benchmark: ``import_wordpress`` on a generated export of 1,000 posts, then run again.

    .venv/bin/python benchmarks/bench_import.py [--posts 1000] [--profile FILE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mmm_import_bench \
        .venv/bin/python benchmarks/bench_import.py

A database of its own (a fresh SQLite file in the temporary folder unless ``DATABASE_URL``),
migrated, with the demo's delegations in French and English; the export (tests/wordpress/wxr.py)
holds French/English Polylang pairs in three delegations with tags, Gutenberg blocks,
shortcodes and an image. Prints the time (wall clock and this process's CPU, SQLite's work
included) of the first import and of the second (nothing changed), and checks that the news
listing matches the page tree. Issue #22: under 60 s and 20 s. ``--profile FILE`` writes a
cProfile of the first import (``python -m pstats FILE``; profiling slows it about twofold).
"""

import argparse
import cProfile
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
DB_FILE = Path(tempfile.gettempdir()) / "mmm-wagtail-bench-import.sqlite3"
if "DATABASE_URL" not in os.environ:
    DB_FILE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from PIL import Image  # noqa: E402

from tests.wordpress import wxr  # noqa: E402

DELEGATIONS = [("europe", "union-europeenne"), ("onu", "onu"), ("unesco", "unesco")]
TAGS = ["education", "soins", "paix", "travail", "familles"]


def export(posts):
    terms = [wxr.tag(slug, slug.title(), 100 + n) for n, slug in enumerate(TAGS)]
    items = [wxr.attachment(5, "2024/12/photo.png", alt="Une photo")]
    for n in range(posts):
        wp_id = 1000 + n
        category = DELEGATIONS[n % 3][0]
        pair, is_english = divmod(n, 2)
        content = (
            f"<!-- wp:heading --><h2>Titre {n}</h2><!-- /wp:heading -->"
            f"<!-- wp:paragraph --><p>Paragraphe {n} avec "
            f"<a href='{wxr.BASE}/?p={1000 + (n + 7) % posts}'>un lien</a>"
            "</p><!-- /wp:paragraph -->"
            '[caption id="attachment_5" width="8"]<img class="wp-image-5" src="'
            f'{wxr.BASE}/wp-content/uploads/2024/12/photo.png" alt=""> Légende[/caption]'
            "\n\n[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]"
            "<!-- wp:quote --><blockquote><p>Citation</p><cite>MMM</cite></blockquote><!-- /wp:quote -->"
        )
        items.append(
            wxr.post(
                wp_id,
                f"{'News' if is_english else 'Actualité'} {pair}",
                content,
                slug=f"{'news' if is_english else 'actualite'}-{pair}",
                date=f"20{13 + n % 12:02d}-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00",
                categories=[(DELEGATIONS[pair % 3][0], category)],
                tags=[(TAGS[pair % 5], TAGS[pair % 5].title())],
                language="en" if is_english else "fr",
                group=f"pll_{pair}",
                excerpt=f"Résumé {n}",
                meta={"_thumbnail_id": 5},
            )
        )
    return wxr.export(items, terms)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the first import there")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mmm-import-bench-"))
    (work / "uploads" / "2024" / "12").mkdir(parents=True)
    Image.new("RGB", (8, 6), (200, 30, 90)).save(work / "uploads" / "2024" / "12" / "photo.png")
    path = work / "export.xml"
    path.write_text(export(args.posts), encoding="utf-8")
    print("Migrating and loading the demo's delegations…", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_demo_content", verbosity=0, stdout=io.StringIO())
    command = [str(path), "--no-input", "--uploads", str(work / "uploads")]
    for category, slug in DELEGATIONS:
        command += ["--delegation", f"{category}={slug}"]
    for label in ("first import", "second run (nothing changed)"):
        out = io.StringIO()
        profile = cProfile.Profile() if args.profile and label == "first import" else None
        queries = [0]

        def count(execute, sql, params, many, context, queries=queries):
            queries[0] += 1
            return execute(sql, params, many, context)

        start, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            if profile is not None:
                profile.runcall(call_command, "import_wordpress", *command, stdout=out)
                profile.dump_stats(args.profile)
            else:
                call_command("import_wordpress", *command, stdout=out)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        # CPU time too: on a shared machine the wall clock counts the other processes' turns.
        load = os.getloadavg()[0]
        print(
            f"{label}: {elapsed:.1f} s ({cpu:.1f} s CPU, load {load:.1f}) for {args.posts} posts, "
            f"{queries[0]} queries ({queries[0] / args.posts:.1f} a post, savepoints included)"
        )
        print("  " + "\n  ".join(out.getvalue().splitlines()[:3]))
    call_command("rebuild_news_listing", "--check")


if __name__ == "__main__":
    main()
