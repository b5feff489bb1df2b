"""What a cached hit costs, against a Django view returning precomputed bytes (the floor).

    .venv/bin/python -m benchmarks.bench_cache_hits            # in-memory cache, and Redis if reachable
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python -m benchmarks.bench_cache_hits

Both go through the same Django stack (test client, with a Host header as every HTTP/1.1
request has, the example site's middleware); the
floor view answers the bytes of ``news/`` with no cache and no database, from the first
pattern of the URLconf. A hit, with the in-memory cache or Redis, is one cache read plus one
indexed query (has any tag of the entry changed since its version?), answered in the view's
body after Django resolved the URL and django-ninja bound the parameters. The demo content is
enough: a hit does not depend on the
size of the content. Prints, per endpoint and cache, microseconds per request, the ratio to
the floor, queries per hit, and what resolving the endpoint's URL costs beyond resolving the
floor's (Django's work before any view, ours or not, runs).
"""

import os
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = os.path.join(tempfile.gettempdir(), "mmm-wagtail-bench-hits.sqlite3")
FLOOR_BODY = {}


def floor(request):
    from django.http import HttpResponse

    return HttpResponse(FLOOR_BODY["news"], content_type="application/json")


def _urlpatterns():
    from django.urls import path

    from mysite.urls import urlpatterns

    # Two floors, first in the URLconf: one outside the site's API prefix, and one inside it,
    # which the example site's middleware for API paths (django-cors-headers, CORS_URLS_REGEX
    # "^/api/") treats as it treats every API response.
    return [path("floor/", floor), path("api/floor/", floor), *urlpatterns]


def __getattr__(name):
    # This module doubles as the benchmark's URLconf, built lazily once Django is set up.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def setup():
    sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATABASE}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from mmm_wagtail.models import NewsPage

    if not NewsPage.objects.exists():
        call_command("load_demo_content", verbosity=0)


def per_request(client, urls, runs, rounds):
    """Best mean of ``rounds`` rounds of ``runs`` requests per URL, in microseconds.

    The URLs take turns round by round, so a burst of load from other processes weighs on
    the floor and the hit alike; on a shared machine short rounds and many of them find
    the quiet moments.
    """
    best = dict.fromkeys(urls, float("inf"))
    for _ in range(rounds):
        for url in urls:
            started = time.perf_counter()
            for _ in range(runs):
                client.get(url)
            best[url] = min(best[url], (time.perf_counter() - started) / runs)
    return [best[url] * 1e6 for url in urls]


def queries(client, url, runs=100):
    """Queries per request over ``runs`` requests (a shared cache's periodic check included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        for _ in range(runs):
            client.get(url)
    return len(captured) / runs


def resolving(path, runs=2000):
    """Microseconds Django takes to resolve ``path`` (query string left out)."""
    from django.urls import resolve

    path = path.split("?")[0]
    started = time.perf_counter()
    for _ in range(runs):
        resolve(path)
    return (time.perf_counter() - started) / runs * 1e6


def redis_url():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6")
    with socket.socket() as s:
        s.settimeout(1)
        return url if s.connect_ex(("127.0.0.1", 6379)) == 0 else None


def main():
    setup()
    from django.test import Client, override_settings

    from mmm_wagtail.models import DelegationPage, NewsFeed

    delegation = DelegationPage.objects.filter(locale__language_code="fr").order_by("pk").first()
    feed = NewsFeed.objects.filter(locale__language_code="fr").first()
    endpoints = {
        "news/": "/api/mmm/news/",
        "delegations/{id}/": f"/api/mmm/delegations/{delegation.pk}/",
        "feeds/{slug}/": f"/api/mmm/feeds/{feed.slug}/?locale=fr",
        "RSS of that feed": f"/api/mmm/feeds/{feed.slug}/rss/?locale=fr",
    }
    backends = {"in-memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    url = redis_url()
    if url:
        backends["Redis"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"mmm-bench-{os.getpid()}",
        }
    runs = int(os.environ.get("BENCH_RUNS", "50"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "40"))
    from django.db import connection

    print(
        f"Cached hits: best of {rounds} rounds of {runs} requests, floor and hit taking turns, "
        f"Django test client, {connection.vendor}"
    )
    print(
        f"{'endpoint':22s} {'cache':10s} {'µs/req':>8s} {'floor µs':>9s} {'ratio':>6s} "
        f"{'/api/ floor µs':>15s} {'ratio':>6s} {'queries':>8s} {'resolve +µs':>12s}"
    )
    for name, cache in backends.items():
        with override_settings(CACHES={"default": cache}, ROOT_URLCONF=__name__):
            # Every HTTP/1.1 request names its host; Django's test client sends none unless told.
            client = Client(HTTP_HOST="testserver")
            FLOOR_BODY["news"] = client.get(endpoints["news/"]).content
            for label, path in endpoints.items():
                client.get(path)  # the miss that fills the cache
                assert client.get(path).mmm_cache_hit, path
                urls = ["/floor/", "/api/floor/", path]
                floor_us, api_floor_us, hit_us = per_request(client, urls, runs, rounds)
                extra = min(resolving(path) for _ in range(3)) - min(resolving("/floor/") for _ in range(3))
                print(
                    f"{label:22s} {name:10s} {hit_us:8.0f} {floor_us:9.0f} {hit_us / floor_us:6.2f} "
                    f"{api_floor_us:15.0f} {hit_us / api_floor_us:6.2f} "
                    f"{queries(client, path):8.2f} {extra:12.0f}"
                )


if __name__ == "__main__":
    main()
