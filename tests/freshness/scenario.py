"""Freshness across processes: gunicorn with 4 workers on PostgreSQL, changes made by another process.

Usage (from the repository root)::

    .venv/bin/python -m tests.freshness.scenario --cache locmem --changes 20
    REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python -m tests.freshness.scenario --cache redis

It builds its own database (``MMM_FRESH_DATABASE_URL``, default ``mmm_fresh_mp``) with the demo
content, starts gunicorn on a free port, keeps reader threads on the API, and makes random
changes from this process: publish, unpublish, title edit, approval through the moderation
workflow, a publish inside ``transaction.atomic()``, a feed edit, a tag translation edit, an
``expire_at`` passing and a ``go_live_at`` arriving. Before each change every worker has the
affected responses cached; after it, requests go out until every worker has answered each
affected endpoint, and every answer must show the change. Endpoints the change does not affect
are requested the same way: the share answered from the cache is printed. Exit status 1 on any
stale answer.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example_project"
WORKERS = 4
API = "/api/mmm/"
FEED = "actualite-des-delegations"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", choices=["locmem", "redis"], action="append")
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep-database", action="store_true", help="reuse a database already migrated")
    return parser.parse_args()


def _template_name(name):
    """A migrated database with the demo content, reused while migrations and demo stay the same;
    named after the test's database (``<name>_tpl_<hash>``), so runs on other databases never
    share or drop it."""
    import hashlib

    import wagtail

    digest = hashlib.sha256(wagtail.__version__.encode())
    for folder in (ROOT / "mmm_wagtail" / "migrations", EXAMPLE / "demo"):
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
    return f"{name}_tpl_" + digest.hexdigest()[:12]


def setup_django(database_url, fresh):
    """Django configured on a copy of the template database (migrating it first if new)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.freshness.settings"
    sys.path[:0] = [str(ROOT), str(EXAMPLE)]
    base, _, name = database_url.rpartition("/")
    template = _template_name(name)
    if fresh:
        import psycopg

        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{template}"')
                subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        "from tests.freshness.scenario import build_template; build_template()",
                    ],
                    cwd=ROOT,
                    env={**os.environ, "DATABASE_URL": f"{base}/{template}"},
                    check=True,
                )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def build_template():
    sys.path[:0] = [str(ROOT), str(EXAMPLE)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.freshness.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", verbosity=0)


def free_port():
    """A free port: in ``MMM_FRESH_PORTS`` ("8500-8599") when set, else any the system gives."""
    first, _, last = os.environ.get("MMM_FRESH_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port in MMM_FRESH_PORTS")


class Server:
    def __init__(self, cache, database_url):
        self.port = free_port()
        self.prefix = f"mmm-fresh-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.freshness.settings",
            "DATABASE_URL": database_url,
            "PYTHONPATH": f"{ROOT}{os.pathsep}{EXAMPLE}",
            "MMM_FRESH_CACHE": cache,
            "MMM_FRESH_PREFIX": self.prefix,
        }
        command = [sys.executable, "-m", "gunicorn", "mysite.wsgi:application", "--workers", str(WORKERS)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--chdir", str(EXAMPLE), "--log-level", "warning"]
        self.process = subprocess.Popen(command, env=env)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + API + "openapi.json", timeout=5).read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def get(self, path):
        """(status, worker pid, "hit"/"miss"/None, body text)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                headers, status, body = response.headers, response.status, response.read()
        except urllib.error.HTTPError as error:
            headers, status, body = error.headers, error.code, error.read()
        return status, headers.get("X-Worker"), headers.get("X-Mmm-Cache"), body.decode()

    def every_worker(self, path, pool, rounds=12):
        """Answers to ``path`` until each worker has given one: {pid: [answers in order]}."""
        seen = {}
        for _ in range(rounds):
            for status, pid, cache, body in pool.map(lambda _: self.get(path), range(2 * WORKERS)):
                seen.setdefault(pid, []).append((status, cache, body))
            if len(seen) >= WORKERS:
                break
        return seen

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# -- checks: (path, description, predicate on (status, body)) ----------------------------------------


def titles(body):
    data = json.loads(body)
    return [item["title"] for item in data.get("items", [])]


def listed(title, delegation_pk, news_pk):
    """Every endpoint showing a French news item: listing, detail, its delegation, the feed and its RSS."""
    return [
        (API + "news/?locale=fr", f"news/ lists {title!r}", lambda s, b: s == 200 and title in titles(b)),
        (
            API + f"news/{news_pk}/",
            f"news/{news_pk}/ is {title!r}",
            lambda s, b: s == 200 and json.loads(b)["title"] == title,
        ),
        (
            API + f"delegations/{delegation_pk}/",
            f"delegations/{delegation_pk}/ shows {title!r}",
            lambda s, b: s == 200 and title in [n["title"] for n in json.loads(b)["latest_news"]],
        ),
        (
            API + f"feeds/{FEED}/?locale=fr",
            f"feed lists {title!r}",
            lambda s, b: s == 200 and title in titles(b),
        ),
        (
            API + f"feeds/{FEED}/rss/?locale=fr",
            f"RSS lists {title!r}",
            lambda s, b: s == 200 and f"<title>{title}</title>" in b,
        ),
    ]


def gone(title, delegation_pk, news_pk):
    return [
        (API + "news/?locale=fr", f"news/ drops {title!r}", lambda s, b: s == 200 and title not in titles(b)),
        (API + f"news/{news_pk}/", f"news/{news_pk}/ is 404", lambda s, b: s == 404),
        (
            API + f"delegations/{delegation_pk}/",
            f"delegations/{delegation_pk}/ drops {title!r}",
            lambda s, b: s == 200 and title not in [n["title"] for n in json.loads(b)["latest_news"]],
        ),
        (
            API + f"feeds/{FEED}/?locale=fr",
            f"feed drops {title!r}",
            lambda s, b: s == 200 and title not in titles(b),
        ),
        (
            API + f"feeds/{FEED}/rss/?locale=fr",
            f"RSS drops {title!r}",
            lambda s, b: s == 200 and f"<title>{title}</title>" not in b,
        ),
    ]


# -- changes (made in this process, through Wagtail's own APIs) -----------------------------------------


class Changes:
    def __init__(self, rng):
        from django.contrib.auth import get_user_model
        from wagtail.models import Locale

        from mmm_wagtail.models import DelegationPage

        self.rng = rng
        self.fr = Locale.objects.get(language_code="fr")
        self.delegations = list(DelegationPage.objects.filter(locale=self.fr).order_by("pk"))
        self.mine = []  # (pk, delegation pk, title) of live items this run created
        user_model = get_user_model()
        self.user = user_model.objects.filter(
            username="fresh-moderator"
        ).first() or user_model.objects.create_superuser("fresh-moderator", "moderator@example.com", "pw")
        self.stamp = 0

    def title(self):
        self.stamp += 1
        return f"Fresh {self.stamp} {uuid.uuid4().hex[:6]}"

    def _new(self, **fields):
        from mmm_wagtail.models import NewsPage

        delegation = self.rng.choice(self.delegations)
        title = self.title()
        page = NewsPage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            date=datetime.date.today(),
            dateline="Genève",
            excerpt="Fresh news.",
            **fields,
        )
        delegation.add_child(instance=page)
        page.tags.add("fresh-topic")
        if page.live:
            page.save()  # a live page's tags are written by its save, not by a publish
        return page, delegation

    def _item(self, newest=False):
        """One of this run's live items; the newest is first in every listing and feed
        (feeds may show only two items)."""
        from mmm_wagtail.models import NewsPage

        pk, delegation_pk, title = max(self.mine) if newest else self.rng.choice(self.mine)
        return NewsPage.objects.get(pk=pk), delegation_pk, title

    def _retitle(self, page, delegation_pk, old, new):
        self.mine = [(p, d, new if p == page.pk else t) for p, d, t in self.mine]
        return listed(new, delegation_pk, page.pk) + [
            (API + "news/?locale=fr", f"news/ drops old title {old!r}", lambda s, b: old not in titles(b))
        ]

    def publish(self):
        page, delegation = self._new(live=False)
        page.save_revision(user=self.user).publish()
        self.mine.append((page.pk, delegation.pk, page.title))
        return listed(page.title, delegation.pk, page.pk)

    def unpublish(self):
        page, delegation_pk, title = self._item()
        page.unpublish()
        self.mine = [m for m in self.mine if m[0] != page.pk]
        return gone(title, delegation_pk, page.pk)

    def title_edit(self):
        page, delegation_pk, old = self._item(newest=True)
        page.title = self.title()
        page.save_revision(user=self.user).publish()
        return self._retitle(page, delegation_pk, old, page.title)

    def approval(self):
        """Wagtail's moderation workflow approves (and publishes) inside one transaction."""
        page, delegation_pk, old = self._item(newest=True)
        page.title = self.title()
        page.save_revision(user=self.user)
        workflow = page.get_workflow()
        assert workflow is not None, "the example site's moderation workflow covers every page"
        state = workflow.start(page, self.user)
        task_state = state.current_task_state
        task_state.task.on_action(task_state, self.user, "approve")
        page.refresh_from_db()
        assert page.title == page.draft_title and page.live, "the approval published the page"
        return self._retitle(page, delegation_pk, old, page.title)

    def atomic_publish(self):
        """Readers keep reading while the transaction is open: nothing of it may be cached as new."""
        from django.db import transaction

        page, delegation_pk, old = self._item(newest=True)
        with transaction.atomic():
            page.title = self.title()
            page.save_revision(user=self.user).publish()
            time.sleep(0.5)
        return self._retitle(page, delegation_pk, old, page.title)

    def feed_edit(self):
        """Outside a transaction: modelcluster writes the delegations after the feed's row."""
        from mmm_wagtail.models import NewsFeed

        feed = NewsFeed.objects.get(slug=FEED, locale=self.fr)
        count = self.rng.choice([n for n in (2, 3, 4, 5) if n != feed.item_count])
        feed.item_count = count
        # All delegations or none both mean "all": the m2m write happens, the selection stays.
        feed.delegations = [] if feed.delegations.exists() else self.delegations
        feed.save()
        return [
            (
                API + f"feeds/{FEED}/?locale=fr",
                f"feed has {count} items",
                lambda s, b: len(titles(b)) == count,
            ),
            (
                API + f"feeds/{FEED}/json/?locale=fr",
                f"JSON Feed has {count} items",
                lambda s, b: len(json.loads(b)["items"]) == count,
            ),
        ]

    def tag_translation(self):
        from taggit.models import Tag

        from mmm_wagtail.models import TagTranslation

        name = f"sujet frais {uuid.uuid4().hex[:6]}"
        tag = Tag.objects.get(name="fresh-topic")
        TagTranslation.objects.update_or_create(tag=tag, locale=self.fr, defaults={"name": name})
        return [(API + "news/?locale=fr", f"news/ names the tag {name!r}", lambda s, b: name in b)]

    def expiry(self, server, pool):
        """A published item whose expire_at passes: no publish_scheduled, no signal at that moment."""
        from django.utils import timezone

        page, delegation = self._new(live=False, expire_at=timezone.now() + datetime.timedelta(seconds=3))
        page.save_revision(user=self.user).publish()
        before = listed(page.title, delegation.pk, page.pk)
        warm(server, pool, before)  # every worker caches it while it is current
        time.sleep(max(0, (page.expire_at - timezone.now()).total_seconds()) + 0.2)
        return gone(page.title, delegation.pk, page.pk)

    def go_live(self, server, pool):
        """A live page (as an import creates it) whose go_live_at arrives."""
        from django.utils import timezone

        page, delegation = self._new(live=True, go_live_at=timezone.now() + datetime.timedelta(seconds=3))
        absent = gone(page.title, delegation.pk, page.pk)
        warm(server, pool, absent)
        time.sleep(max(0, (page.go_live_at - timezone.now()).total_seconds()) + 0.2)
        self.mine.append((page.pk, delegation.pk, page.title))
        return listed(page.title, delegation.pk, page.pk)


def warm(server, pool, checks):
    for path, _, _ in checks:
        server.every_worker(path, pool)


UNAFFECTED = [API + "news/?locale=en", API + "delegations/?locale=en", API + "feeds/?locale=en"]


def run(cache, args, database_url):
    from django.test import override_settings

    from tests.freshness.caches import caches_for

    server = Server(cache, database_url)
    # Changes are made here with the workers' cache settings, as a site's admin and cron
    # jobs share them, as every process of a site does.
    with override_settings(CACHES=caches_for(cache, os.environ.get("REDIS_URL"), server.prefix)):
        return _run(server, cache, args)


def _run(server, cache, args):
    rng = random.Random(args.seed)
    changes = Changes(rng)
    failures, checked, workers_seen = [], 0, set()
    hits = total = 0
    stop = threading.Event()

    def reader(rng=random.Random()):  # noqa: B008 - each reader thread has its own
        paths = [
            API + "news/?locale=fr",
            API + "delegations/?locale=fr",
            API + f"feeds/{FEED}/?locale=fr",
            *UNAFFECTED,
        ]
        while not stop.is_set():
            server.get(rng.choice(paths))

    readers = [threading.Thread(target=reader, daemon=True) for _ in range(2)]
    for thread in readers:
        thread.start()
    required = ["publish", "publish", "unpublish", "title_edit", "approval", "atomic_publish", "feed_edit"]
    required += ["tag_translation", "expiry", "go_live"]
    optional = [
        "publish",
        "unpublish",
        "title_edit",
        "approval",
        "atomic_publish",
        "feed_edit",
        "tag_translation",
    ]
    kinds = required[:2] + rng.sample(required[2:], len(required) - 2)
    kinds += [rng.choice(optional) for _ in range(max(0, args.changes - len(kinds)))]
    started = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(2 * WORKERS) as pool:
            for number, kind in enumerate(kinds[: max(args.changes, len(required))], 1):
                if kind in ("unpublish", "title_edit", "approval", "atomic_publish") and not changes.mine:
                    kind = "publish"
                warm(server, pool, [(path, "", None) for path in UNAFFECTED])
                if kind in ("expiry", "go_live"):
                    checks = getattr(changes, kind)(server, pool)
                else:
                    # Every worker holds the current answers in its cache before the change.
                    if changes.mine:
                        pk, delegation_pk, title = changes.mine[-1]
                        warm(server, pool, listed(title, delegation_pk, pk))
                    checks = getattr(changes, kind)()
                bad = 0
                for path, description, ok in checks:
                    for pid, answers in server.every_worker(path, pool).items():
                        workers_seen.add(pid)
                        for status, _, body in answers:
                            checked += 1
                            if not ok(status, body):
                                bad += 1
                                failures.append(
                                    f"change {number} ({kind}): worker {pid}: {description}: got {status}"
                                )
                # Scheduled changes end every cached answer at that moment (the schedule is global).
                if kind not in ("tag_translation", "expiry", "go_live"):
                    for path in UNAFFECTED:
                        for answers in server.every_worker(path, pool).values():
                            total += 1
                            hits += answers[0][1] == "hit"
                verdict = f"{bad} STALE" if bad else "ok"
                print(f"  {number:2d}. {kind:16s} {len(checks)} endpoints, {verdict}", flush=True)
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=30)
        server.stop()
    print(
        f"[{cache}] {len(kinds)} changes, {checked} answers after changes "
        f"checked on {len(workers_seen)} workers, "
        f"{len(failures)} stale; first answers of unaffected endpoints from the cache: {hits}/{total} "
        f"({100 * hits / max(total, 1):.0f}%); {time.monotonic() - started:.0f} s",
        flush=True,
    )
    for failure in failures[:20]:
        print("  STALE:", failure)
    return not failures and len(workers_seen) == WORKERS


def main():
    args = parse_args()
    caches = args.cache or ["locmem", "redis"]
    database_url = os.environ.get("MMM_FRESH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mmm_fresh_mp")
    setup_django(database_url, fresh=not args.keep_database)
    if "redis" in caches and not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/5"
    results = [run(cache, args, database_url) for cache in caches]  # every mode, even after a failure
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
