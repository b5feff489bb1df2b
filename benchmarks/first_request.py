"""The first request of a ``news/`` listing after a change, when its stored count is gone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mmm_bench_100k \\
        .venv/bin/python benchmarks/first_request.py

On a database built by ``scale.py``: per listing, the stored counts are deleted (what a change
to the listing amounts to), then one request counts every match and stores the count, and the
next one reads it; median milliseconds of three such pairs, uncached (``CACHE_ALIAS`` None).
A script, not a test: it prints a Markdown table.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.test import Client, override_settings  # noqa: E402
from taggit.models import Tag  # noqa: E402

from mmm_wagtail.models import NewsListingCount  # noqa: E402


def main(pairs=3):
    client = Client()
    slug = Tag.objects.get(name="éducation").slug
    listings = [
        "news/?limit=20",
        "news/?delegation=onu",
        f"news/?tag={slug}",
        "news/?search=mères",
        "news/?locale=en",
        "news/?search=mères&locale=en",
    ]

    def timed(url):
        started = time.perf_counter()
        response = client.get("/api/mmm/" + url)
        assert response.status_code == 200, (url, response.status_code)
        return (time.perf_counter() - started) * 1000

    print("| listing | first request ms | next request ms |\n|---|---:|---:|")
    with override_settings(MMM_WAGTAIL={"CACHE_ALIAS": None}):
        for url in listings:
            timed(url)  # warm-up: renditions, connections
            first, then = [], []
            for _ in range(pairs):
                NewsListingCount.objects.all().delete()
                first.append(timed(url))
                then.append(timed(url))
            print(f"| `{url}` | {statistics.median(first):.0f} | {statistics.median(then):.0f} |", flush=True)


if __name__ == "__main__":
    main()
