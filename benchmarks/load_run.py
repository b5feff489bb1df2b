"""The load run of issue #20: readers and editors at once, on PostgreSQL and Redis, for a minute.

    .venv/bin/python -m benchmarks.load_run                       # 60 s, 50 readers, 2 editors
    .venv/bin/python -m benchmarks.load_run --seconds 20 --readers 10

It serves the example site with gunicorn (4 workers, the Redis cache) on a copy of a migrated
database with the demo content (``tests.freshness.scenario``: its template database, its
``Server`` and its settings, which name the worker and the cache hit in two headers), then for
``--seconds``:

- ``--readers`` threads read the API (listings, details, feeds, RSS, the landing's delegations,
  ``pages/find/``) as fast as they are answered;
- ``--editors`` processes of their own (``--editor``, this module again) change news through
  Wagtail's Python API, as an admin or a cron job does: a new title published, an unpublish, a
  publish again of the latest revision, a draft saved without publishing. Some news are edited
  by every editor (the same pages at the same time), others by one only.

Each editor reports every change (its news, the state a reader must see after it: a title or
404, the moment its commit returned). Reader answers about those news (their detail and the
``news/`` listing) are checked afterwards against that log: an answer to a request sent after a
change was logged must show that change or a later one. Answers that show an older state are
counted with how long after the change their request was sent; past ``--fresh-ms`` they are
stale reads. A title no change ever published (a draft's) is a leak. At the end every worker
must answer each of those news' detail and the listing as the database says.

Prints requests per second, latencies (p50/p95/p99, all and per kind of endpoint), status
counts (a 5xx fails the run), publish latencies, stale reads and the end check; exit status 1
on any 5xx, stale read, leak, editor error or end mismatch. Needs PostgreSQL on 127.0.0.1
(``--database-url``, default ``mmm_load``; the first run also builds ``mmm_load_tpl_<hash>``,
about 2 minutes) and Redis (``--redis-url``); gunicorn binds a port of ``MMM_FRESH_PORTS``.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.freshness.scenario import API, EXAMPLE, FEED, WORKERS, Server, setup_django  # noqa: E402

SHARED = 4  # news every editor changes
OWN = 3  # news of one editor only
EDITOR_USER = "load-editor"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--editors", type=int, default=2)
    parser.add_argument("--fresh-ms", type=float, default=1000, help="a change must be seen within this")
    parser.add_argument("--pause", type=float, default=0.3, help="mean pause between an editor's changes (s)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("MMM_LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mmm_load"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6"))
    # An editor process (started by the run, not by hand).
    parser.add_argument("--editor", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--items", default="", help=argparse.SUPPRESS)

    return parser.parse_args(argv)


# -- the editors ------------------------------------------------------------------------------------


def readable_state(pk):
    """What a reader must get for news ``pk``: its live title, or None (a 404)."""
    from mmm_wagtail.models import NewsPage

    return NewsPage.objects.current().filter(pk=pk).values_list("title", flat=True).first()


def editor_main(args):
    """Change news for ``--seconds`` after the run says go; one JSON line per change on stdout."""
    setup_django(args.database_url, fresh=False)
    from django.contrib.auth import get_user_model

    from mmm_wagtail.models import NewsPage

    user = get_user_model().objects.get(username=EDITOR_USER)
    rng = random.Random(None if args.seed is None else args.seed + args.editor)
    items = [int(pk) for pk in args.items.split(",")]
    number = 0
    # Django is set up (seconds on a loaded machine): the run starts its clock for everyone.
    print("ready", flush=True)
    sys.stdin.readline()
    until = time.time() + args.seconds

    def emit(**event):
        print(json.dumps({"editor": args.editor, **event}), flush=True)

    while time.time() < until:
        pk = rng.choice(items)
        page = NewsPage.objects.get(pk=pk)
        op = rng.choices(["edit", "unpublish", "republish", "draft"], [5, 2, 2, 1])[0]
        if op == "unpublish" and not page.live:
            op = "republish"
        if op == "republish" and page.live:
            op = "edit"
        number += 1
        started = time.time()
        try:
            if op == "edit":
                page.title = f"Load e{args.editor} n{number} {uuid.uuid4().hex[:6]}"
                page.save_revision(user=user).publish(user=user)
                state = page.title
            elif op == "unpublish":
                page.unpublish(user=user)
                state = None
            elif op == "republish":
                revision = page.get_latest_revision()
                revision.publish(user=user)
                state = revision.as_object().title
            else:
                # Saved, not published: no reader may ever see this title.
                page.title = f"Draft e{args.editor} n{number} {uuid.uuid4().hex[:6]}"
                page.save_revision(user=user)
                emit(op=op, pk=pk, draft=page.title, commit=time.time(), took=time.time() - started)
                op = None
        except Exception as error:  # an editor's failure is a result of the run, not its end
            # What the database holds now, whatever part of the change went through.
            emit(op="error", pk=pk, state=readable_state(pk), commit=time.time(), error=f"{op}: {error!r}")
            continue
        if op is not None:
            emit(op=op, pk=pk, state=state, commit=time.time(), took=time.time() - started)
        time.sleep(rng.expovariate(1 / args.pause) if args.pause > 0 else 0)


# -- the run -------------------------------------------------------------------------------------------


def percentiles(values):
    if not values:
        return "-"
    ordered = sorted(values)

    def at(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    high = ordered[-1] * 1000
    return f"p50 {at(0.50):.1f} ms, p95 {at(0.95):.1f} ms, p99 {at(0.99):.1f} ms, max {high:.0f} ms"


def make_items(count):
    """``count`` published French news of today (first in every listing), under the delegations."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Locale

    from mmm_wagtail.models import DelegationPage, NewsPage

    users = get_user_model().objects
    user = users.filter(username=EDITOR_USER).first() or users.create_superuser(
        EDITOR_USER, "load@example.com", "load"
    )
    fr = Locale.objects.get(language_code="fr")
    delegations = list(DelegationPage.objects.filter(locale=fr).order_by("pk"))
    pks = []
    for number in range(count):
        title = f"Load item {number} {uuid.uuid4().hex[:6]}"
        page = NewsPage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            date=datetime.date.today(),
            dateline="Genève",
            excerpt="Load run.",
            live=False,
        )
        delegations[number % len(delegations)].add_child(instance=page)
        page.save_revision(user=user).publish(user=user)
        pks.append(page.pk)
    return pks, delegations


class Reads:
    """Every answer, thread-safe: latencies and statuses per kind, and what tracked news showed."""

    def __init__(self, tracked):
        self.tracked = set(tracked)
        self.lock = threading.Lock()
        self.latency = {}
        self.status = {}
        self.hits = 0
        self.observed = []  # (sent, answered, pk, title or None, where)

    def record(self, kind, path, sent, answered, status, cache, body):
        observed = []
        if status in (200, 404) and kind in ("news detail", "news listing"):
            if kind == "news detail":
                pk = int(path.rstrip("/").rsplit("/", 1)[1])
                title = json.loads(body)["title"] if status == 200 else None
                observed.append((sent, answered, pk, title, "detail"))
            else:
                shown = {item["id"]: item["title"] for item in json.loads(body)["items"]}
                observed += [(sent, answered, pk, shown.get(pk), "listing") for pk in self.tracked]
        with self.lock:
            self.latency.setdefault(kind, []).append(answered - sent)
            self.status[status] = self.status.get(status, 0) + 1
            self.hits += cache == "hit"
            self.observed += observed


def check_freshness(observed, events, fresh_ms):
    """``(late, leaks, checked)`` of ``observed`` against the editors' log: ``late`` lists the reads
    sent after a change had committed that showed an older state, with how long after it."""
    by_pk = {}
    drafts = set()
    for event in events:
        if event.get("draft"):
            drafts.add(event["draft"])
        elif "state" in event:
            by_pk.setdefault(event["pk"], []).append((event["commit"], event["state"]))
    published = {state for changes in by_pk.values() for _, state in changes}
    late, leaks, checked = [], [], 0
    for sent, _answered, pk, title, where in observed:
        if title in drafts and title not in published:
            leaks.append((pk, title, where))
        changes = by_pk.get(pk, [])
        before = [commit for commit, _ in changes if commit <= sent]
        if not before:
            continue
        checked += 1
        # The editor logs a change once its commit has returned: a request sent after that must
        # show it, or a later change (two editors' commits a few ms apart are in either order).
        allowed = {state for commit, state in changes if commit >= before[-1] - 0.1}
        if title not in allowed:
            late.append((pk, title, where, sent - before[-1]))
    return late, leaks, checked


def end_check(server, pool, pks):
    """Every worker's answers for each tracked news item's detail and the listing, against the database."""
    expected = {pk: readable_state(pk) for pk in pks}
    mismatches, answers = [], 0
    for pk in pks:
        for pid, replies in server.every_worker(API + f"news/{pk}/", pool).items():
            for status, _, body in replies:
                answers += 1
                title = json.loads(body)["title"] if status == 200 else None
                if title != expected[pk]:
                    mismatches.append(f"worker {pid}: news/{pk}/ is {title!r}, the database {expected[pk]!r}")
    for pid, replies in server.every_worker(API + "news/?locale=fr&limit=100", pool).items():
        for _status, _, body in replies:
            answers += 1
            shown = {item["id"]: item["title"] for item in json.loads(body)["items"]}
            for pk in pks:
                if shown.get(pk) != expected[pk]:
                    mismatches.append(
                        f"worker {pid}: news/ shows {pk} as {shown.get(pk)!r}, not {expected[pk]!r}"
                    )
    return mismatches, answers


def reader_paths(pks, delegations):
    from mmm_wagtail.models import NewsPage

    demo_news = list(NewsPage.objects.current().exclude(pk__in=pks).values_list("pk", flat=True)[:10])
    paths = [("news detail", API + f"news/{pk}/", 6) for pk in pks]
    paths += [
        ("news listing", API + "news/?locale=fr&limit=100", 8),
        ("other listing", API + "news/?locale=en", 2),
        ("other listing", API + "news/?locale=fr&limit=5&offset=5", 2),
        ("other listing", API + "delegations/?locale=fr", 3),
        ("other listing", API + "feeds/?locale=fr", 2),
        ("feed", API + f"feeds/{FEED}/?locale=fr", 3),
        ("feed", API + f"feeds/{FEED}/rss/?locale=fr", 3),
        ("feed", API + f"delegations/{delegations[0].pk}/rss/", 2),
    ]
    paths += [("other detail", API + f"news/{pk}/", 1) for pk in demo_news]
    paths += [("other detail", API + f"delegations/{d.pk}/", 2) for d in delegations]
    paths += [("other detail", API + "pages/find/?path=/fr/delegations/", 1)]
    return paths


def main(args):
    os.environ.setdefault("MMM_FRESH_PORTS", "8660-8669")
    os.environ["REDIS_URL"] = args.redis_url
    setup_django(args.database_url, fresh=True)
    from django.test import override_settings

    from tests.freshness.caches import caches_for

    server = Server("redis", args.database_url)
    try:
        with override_settings(CACHES=caches_for("redis", args.redis_url, server.prefix)):
            return _run(args, server)
    finally:
        server.stop()


def _run(args, server):
    rng = random.Random(args.seed)
    pks, delegations = make_items(SHARED + OWN * args.editors)
    shared, own = pks[:SHARED], pks[SHARED:]
    paths = reader_paths(pks, delegations)
    kinds, urls, weights = zip(*paths, strict=True)
    reads = Reads(pks)
    stop = threading.Event()
    errors = []

    def reader(seed):
        local = random.Random(seed)
        while not stop.is_set():
            index = local.choices(range(len(urls)), weights)[0]
            sent = time.time()
            try:
                status, _pid, cache, body = server.get(urls[index])
            except OSError as error:  # no answer at all: counted apart from statuses
                with reads.lock:
                    errors.append(repr(error))
                continue
            reads.record(kinds[index], urls[index], sent, time.time(), status, cache, body)

    # Every worker caches the pages before the editors start, as on a site that has been running.
    with concurrent.futures.ThreadPoolExecutor(2 * WORKERS) as pool:
        for url in set(urls):
            server.every_worker(url, pool)

    env = {
        **os.environ,
        "MMM_FRESH_CACHE": "redis",
        "MMM_FRESH_PREFIX": server.prefix,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{EXAMPLE}",
    }
    editors = []
    for number in range(args.editors):
        items = shared + own[number * OWN : (number + 1) * OWN]
        command = [sys.executable, "-m", "benchmarks.load_run", "--editor", str(number)]
        command += ["--items", ",".join(map(str, items)), "--seconds", str(args.seconds)]
        command += ["--pause", str(args.pause), "--database-url", args.database_url]
        if args.seed is not None:
            command += ["--seed", str(args.seed)]
        editors.append(
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
        )
    for process in editors:
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("an editor process did not start (its error is above)")
    started = time.time()
    for process in editors:
        process.stdin.write("go\n")
        process.stdin.flush()
    threads = [
        threading.Thread(target=reader, args=(rng.random(),), daemon=True) for _ in range(args.readers)
    ]
    for thread in threads:
        thread.start()
    events = []
    for process in editors:
        out, _ = process.communicate(timeout=args.seconds + 300)
        events += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        if process.returncode:
            errors.append(f"editor exited with {process.returncode}")
    # Readers go on until the last change has had its window.
    time.sleep(args.fresh_ms / 1000 + 0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.time() - started
    events.sort(key=lambda event: event["commit"])

    late, leaks, checked = check_freshness(reads.observed, events, args.fresh_ms)
    stale = [read for read in late if read[3] > args.fresh_ms / 1000]
    with concurrent.futures.ThreadPoolExecutor(2 * WORKERS) as pool:
        mismatches, end_answers = end_check(server, pool, pks)

    total = sum(reads.status.values())
    every = [value for values in reads.latency.values() for value in values]
    server_errors = sum(count for status, count in reads.status.items() if status >= 500)
    changes = [e for e in events if e["op"] in ("edit", "unpublish", "republish")]
    editor_errors = [e for e in events if e["op"] == "error"]
    print(
        f"\nLoad run: {WORKERS} gunicorn workers, PostgreSQL, Redis; {args.readers} readers, "
        f"{args.editors} editors, {elapsed:.0f} s (load average {os.getloadavg()[0]:.1f} at the end)"
    )
    print(
        f"  requests: {total} ({total / elapsed:.0f}/s), "
        f"from the cache {reads.hits} ({100 * reads.hits / max(total, 1):.0f}%)"
    )
    print(f"  latency, all: {percentiles(every)}")
    for kind in sorted(reads.latency):
        print(f"  latency, {kind} ({len(reads.latency[kind])}): {percentiles(reads.latency[kind])}")
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(reads.status.items()))
    print(f"  statuses: {statuses}; 5xx: {server_errors}; no answer: {len(errors)}")
    by_op = {op: sum(e["op"] == op for e in events) for op in ("edit", "unpublish", "republish", "draft")}
    print(
        f"  editor changes: {len(changes)} published changes ({by_op}), on {len(pks)} news "
        f"({SHARED} edited by every editor); editor errors: {len(editor_errors)}"
    )
    print(
        f"  publish latency (the editor's call, to its commit): {percentiles([e['took'] for e in changes])}"
    )
    latest = f", the latest {max(read[3] for read in late) * 1000:.0f} ms after its change" if late else ""
    print(
        f"  freshness: {checked} reads of changed news sent after a change, {len(late)} showing an older "
        f"state{latest}; {len(stale)} past {args.fresh_ms:g} ms; {len(leaks)} draft titles seen"
    )
    print(f"  end: {end_answers} answers of every worker, {len(mismatches)} unlike the database")
    for line in [*errors[:5], *(e["error"] for e in editor_errors[:5]), *mismatches[:10]]:
        print("   ", line)
    for pk, title, where, lag in late[:10]:
        print(f"    older state: news {pk} in {where} as {title!r}, {lag * 1000:.0f} ms after a change")
    for pk, title, where in leaks[:10]:
        print(f"    leak: news {pk} in {where} as draft {title!r}")
    ok = not (server_errors or errors or stale or leaks or editor_errors or mismatches)
    print("  result:", "ok" if ok else "FAILED")
    return ok


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.editor is not None:
        editor_main(arguments)
    else:
        sys.exit(0 if main(arguments) else 1)
