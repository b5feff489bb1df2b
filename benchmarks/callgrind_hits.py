"""Instructions of N floor requests against N cached hits, per endpoint, under callgrind.

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.%p \\
        .venv/bin/python -m benchmarks.callgrind_hits [N] [in-memory|Redis]

Instruction counts repeat from run to run where timings on a shared machine do not. The
setup of ``bench_cache_hits`` (same settings, URLconf, floor view and test client); after
a warm-up, collection is switched on and each block of N requests is dumped on its own
(``callgrind_control -d``), named by its URL: compare the totals with ``callgrind_annotate``.
Without valgrind it prints the same blocks' wall time.
"""

import gc
import os
import subprocess
import sys
import time

from . import bench_cache_hits as bench


def control(*args):
    subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True, capture_output=True)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    backend = sys.argv[2] if len(sys.argv) > 2 else "in-memory"
    bench.setup()
    from django.test import Client, override_settings

    from mmm_wagtail.models import DelegationPage, NewsFeed

    delegation = DelegationPage.objects.filter(locale__language_code="fr").order_by("pk").first()
    feed = NewsFeed.objects.filter(locale__language_code="fr").first()
    paths = [
        "/floor/",
        "/api/mmm/news/",
        f"/api/mmm/delegations/{delegation.pk}/",
        f"/api/mmm/feeds/{feed.slug}/?locale=fr",
        f"/api/mmm/feeds/{feed.slug}/rss/?locale=fr",
    ]
    caches = {
        "in-memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "Redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7"),
            "KEY_PREFIX": f"mmm-cg-{os.getpid()}",
        },
    }
    under_valgrind = "valgrind" in os.environ.get("LD_PRELOAD", "") or os.environ.get("CALLGRIND")
    with override_settings(CACHES={"default": caches[backend]}, ROOT_URLCONF="benchmarks.bench_cache_hits"):
        client = Client(HTTP_HOST="testserver")
        bench.FLOOR_BODY["news"] = client.get(paths[1]).content
        for path in paths:
            for _ in range(20):
                client.get(path)
            if path != "/floor/":
                assert client.get(path).mmm_cache_hit, path
        if under_valgrind:
            control("-i", "on")
        for path in paths:
            gc.collect()  # a full collection left for later would land in one block only
            if under_valgrind:
                control("-z")
            started = time.perf_counter()
            for _ in range(runs):
                client.get(path)
            elapsed = (time.perf_counter() - started) / runs * 1e6
            if under_valgrind:
                control(f"--dump={path}")
            print(f"{path:60s} {elapsed:10.0f} µs/req", flush=True)


if __name__ == "__main__":
    main()
