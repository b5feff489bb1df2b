"""Hits at the edge, for real (issue #25): Varnish with xkey in front of gunicorn, purged by tag.

Builds the example site on PostgreSQL (``--database``) with the demo content, starts gunicorn
(2 workers), the django-tasks-db worker (``db_worker``: the purges leave the request there) and
``varnishd`` running ``docs/varnish/default.vcl`` (its backend port replaced), no root needed.
Every API and feed URL of a set is cached in Varnish; then, for each kind of change (publish,
unpublish, feed edit, tag rename, delegation change) made from this process, once the purge
task has run, each URL is requested through Varnish and straight from gunicorn:

- every answer through Varnish must equal gunicorn's (status and body): fresh;
- a URL whose tags (its ``xkey`` header) name a changed tag must be a Varnish miss, any other a hit.

Prints the hit ratio and exits 1 unless 100 % of the answers are fresh and every unaffected one a hit.

    .venv/bin/python .ci/varnish.py [--varnish-port 8300] [--gunicorn-port 8301]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "example_project"
VCL = ROOT / "docs" / "varnish" / "default.vcl"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--varnish-port", type=int, default=8300)
    parser.add_argument("--gunicorn-port", type=int, default=8301)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/mmm_webhooks_edge")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    return parser.parse_args()


class Stack:
    """Database, gunicorn, the task worker and varnishd; ``close()`` stops what it started."""

    def __init__(self, args):
        self.args = args
        self.host = f"127.0.0.1:{args.varnish_port}"
        self.processes = []
        self.workdir = Path(tempfile.mkdtemp(prefix="mmm-varnish-"))
        # varnishd started as root drops to its own users, which must read the VCL.
        self.workdir.chmod(0o755)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mysite.settings",
            "DATABASE_URL": args.database,
            "VARNISH_URL": f"http://{self.host}",
            "TASKS_BACKEND": "database",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONPATH": f"{ROOT}{os.pathsep}{EXAMPLE}",
        }
        # A shared response cache (Redis) behind Varnish, as in production.
        self.env["REDIS_URL"] = args.redis
        os.environ.update({k: v for k, v in self.env.items() if k != "PYTHONPATH"})
        sys.path[:0] = [str(ROOT), str(EXAMPLE)]

    def manage(self, *command):
        subprocess.run([sys.executable, "manage.py", *command], cwd=EXAMPLE, env=self.env, check=True)

    def build_database(self):
        import psycopg

        base, _, name = self.args.database.rpartition("/")
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("load_demo_content", "--site", self.host, "-v", "0")

    def start(self):
        python = [sys.executable]
        self._spawn(
            [*python, "-m", "gunicorn", "mysite.wsgi:application", "--workers", "2", "--chdir", str(EXAMPLE)]
            + ["--bind", f"127.0.0.1:{self.args.gunicorn_port}", "--log-level", "warning"]
        )
        self._spawn([*python, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay", "-v", "0"])
        vcl = self.workdir / "default.vcl"
        text = VCL.read_text()
        assert '.port = "8000";' in text
        vcl.write_text(text.replace('.port = "8000";', f'.port = "{self.args.gunicorn_port}";'))
        vcl.chmod(0o644)
        self._spawn(
            ["varnishd", "-F", "-a", self.host, "-f", str(vcl), "-n", str(self.workdir / "n")]
            + ["-s", "malloc,64m", "-T", "none"]
        )
        self._wait(f"http://127.0.0.1:{self.args.gunicorn_port}/api/mmm/")
        self._wait(f"http://{self.host}/api/mmm/")

    def _spawn(self, command):
        self.processes.append(subprocess.Popen(command, cwd=EXAMPLE, env=self.env))

    def _wait(self, url):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{url} did not answer within 60 s")

    def close(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


def fetch(port, path, host):
    """(status, body, headers) of a GET of ``path`` on 127.0.0.1:``port`` with ``Host: host``."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


class Edge:
    def __init__(self, stack):
        self.stack = stack
        self.args = stack.args
        self.urls = []
        self.requests = self.hits = self.fresh = self.purged = 0
        self.failures = []

    def through_varnish(self, path):
        return fetch(self.args.varnish_port, path, self.stack.host)

    def origin(self, path):
        return fetch(self.args.gunicorn_port, path, self.stack.host)

    def collect_urls(self):
        base = "/api/mmm/"
        urls = [base, base + "news/", base + "news/?locale=en", base + "delegations/"]
        urls += [base + "delegations/?locale=en", base + "feeds/", base + "feeds/?locale=en"]
        news = json.loads(self.origin(base + "news/?limit=5")[1])["items"]
        urls += [f"{base}news/{item['id']}/" for item in news[:3]]
        for delegation in json.loads(self.origin(base + "delegations/")[1])["items"]:
            urls += [f"{base}delegations/{delegation['id']}/", f"{base}delegations/{delegation['id']}/rss/"]
        for feed in json.loads(self.origin(base + "feeds/")[1])["items"]:
            urls += [f"{base}feeds/{feed['slug']}/", f"{base}feeds/{feed['slug']}/rss/"]
        if self.origin("/api/v3/mmm/news/")[0] == 200:
            urls += ["/api/v3/mmm/news/", "/api/v3/mmm/delegations/"]
        self.urls = urls

    def warm(self):
        for path in self.urls:
            self.through_varnish(path)
            status, _, headers = self.through_varnish(path)
            if headers.get("X-Cache") != "HIT":
                self.failures.append(f"{path} is not cached by Varnish (status {status})")

    def drain(self):
        from django_tasks_db.models import DBTaskResult

        deadline = time.monotonic() + 120
        while DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the task queue did not drain within 120 s")
            time.sleep(0.2)

    def tags_of(self):
        header = "xkey"
        return {path: set((self.origin(path)[2].get(header) or "").split()) for path in self.urls}

    def check(self, name, change, target):
        from django_tasks_db.models import DBTaskResult

        purges = DBTaskResult.objects.filter(task_path="mmm_wagtail.cache.purge.purge_task")
        before_ids = set(purges.values_list("pk", flat=True))
        tags = self.tags_of()
        target_before = self.through_varnish(target)[1]
        change()
        deadline = time.monotonic() + 60
        while True:
            new = purges.exclude(pk__in=before_ids)
            if new.exists() and not new.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
                break
            if time.monotonic() > deadline:
                self.failures.append(f"{name}: the purge task did not run within 60 s")
                return
            time.sleep(0.1)
        if new.filter(status="FAILED").exists():
            self.failures.append(f"{name}: the purge task failed: {new.filter(status='FAILED')[0].traceback}")
        changed = set().union(*(set(task.args_kwargs["args"][0]) for task in new))
        affected = hits = 0
        for path in self.urls:
            status, body, headers = self.through_varnish(path)
            origin_status, origin_body, _ = self.origin(path)
            hit = headers.get("X-Cache") == "HIT"
            should_miss = bool(tags[path] & changed)
            affected += should_miss
            self.purged += should_miss
            self.requests += 1
            self.hits += hit
            if (status, body) == (origin_status, origin_body):
                self.fresh += 1
            else:
                self.failures.append(f"{name}: stale answer through Varnish for {path}")
            if hit and should_miss:
                self.failures.append(f"{name}: {path} names a changed tag but was a Varnish hit")
            if not hit and not should_miss:
                self.failures.append(f"{name}: {path} names no changed tag but was a Varnish miss")
            hits += hit
        if self.through_varnish(target)[1] == target_before:
            self.failures.append(f"{name}: {target} does not show the change")
        print(
            f"{name:20} tags {', '.join(sorted(changed)):50} {affected:3} purged, "
            f"{hits:3} of {len(self.urls) - affected} unaffected answers Varnish hits"
        )
        self.warm()


def changes():
    """(name, function making the change, a URL that must show it) for each kind of change."""
    from taggit.models import Tag

    from mmm_wagtail.models import DelegationPage, NewsFeed, NewsPage

    delegation = DelegationPage.objects.filter(locale__language_code="fr").live().first()
    state = {}

    def publish():
        news = delegation.add_child(
            instance=NewsPage(title="Edge publish", slug="edge-publish", date="2026-12-06")
        )
        news.save_revision().publish()
        state["news"] = news

    def unpublish():
        state["news"].unpublish()

    feed = NewsFeed.objects.filter(locale__language_code="fr").first()

    def edit_feed():
        feed.title += " (edited)"
        feed.save()

    tag = Tag.objects.filter(mmm_news_pages__isnull=False).distinct().first()

    def rename_tag():
        tag.name += " renamed"
        tag.save()

    def change_delegation():
        delegation.title += " (changed)"
        delegation.save_revision().publish()

    return [
        ("publish", publish, "/api/mmm/news/"),
        ("unpublish", unpublish, "/api/mmm/news/"),
        ("feed edit", edit_feed, f"/api/mmm/feeds/{feed.slug}/"),
        ("tag rename", rename_tag, "/api/mmm/news/"),
        ("delegation change", change_delegation, f"/api/mmm/delegations/{delegation.pk}/"),
    ]


def main():
    args = parse_args()
    started = time.monotonic()
    stack = Stack(args)
    try:
        stack.build_database()
        stack.start()
        import django

        django.setup()
        edge = Edge(stack)
        # The purges of building the demo content wait in the queue: let the worker send them first.
        edge.drain()
        edge.collect_urls()
        edge.warm()
        print(f"{len(edge.urls)} API and feed URLs cached in Varnish")
        for name, change, target in changes():
            edge.check(name, change, target)
    finally:
        stack.close()
    ratio = edge.hits / edge.requests if edge.requests else 0
    fresh = edge.fresh / edge.requests if edge.requests else 0
    print(
        f"Varnish: {edge.requests} answers after changes, {fresh:.0%} fresh, hit ratio {ratio:.0%} "
        f"({edge.hits} hits); {time.monotonic() - started:.0f} s in all"
    )
    unaffected = edge.requests - edge.purged
    print(f"unaffected answers: {edge.hits} Varnish hits of {unaffected}; purged answers: {edge.purged}")
    for failure in edge.failures:
        print("FAIL", failure)
    return 1 if edge.failures or fresh < 1 else 0


if __name__ == "__main__":
    sys.exit(main())
