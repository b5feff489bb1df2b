"""Webhooks against hostile local receivers (issue #20, findings 1-3): nothing a receiver does
breaks or delays publishing, another endpoint, or the delivery log.

Each receiver is a thread with a listening socket answering as planned: hang, drip a byte at a
time, redirect, a garbage status line, a header over 64 KB. Timeouts are 0.3 s here.
"""

import base64
import datetime
import os
import socket
import threading
import time

import django
import pytest
from django.core.management import call_command
from django.utils import timezone

from mmm_wagtail.models import WebhookDelivery
from mmm_wagtail.webhooks.delivery import deliver, endpoint_key, retry_due
from mmm_wagtail.webhooks.http import redact

from .conftest import make_news

SECRET = "whsec_" + base64.b64encode(os.urandom(32)).decode()
TIMEOUT = 0.3


class Raw:
    """A TCP server on a free port: each connection reads the request head, then ``behave``s."""

    def __init__(self, behave):
        self.behave = behave
        self.connections = 0
        self.requests = []
        self.closed = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        with conn:
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                self.requests.append(data)
                self.behave(self, conn)
            except OSError:  # the sender gave up and closed: what a bounded attempt does
                pass

    def close(self):
        self.closed.set()
        self.sock.close()


def answer(raw_reply):
    return lambda server, conn: conn.sendall(raw_reply)


def hang(server, conn):
    server.closed.wait(5)


def drip(server, conn):
    # A valid answer, one byte every 0.05 s: about 2 s in all, each read well within the timeout.
    for byte in b"HTTP/1.1 204 No Content\r\nX-Slow: " + b"a" * 15 + b"\r\n\r\n":
        conn.sendall(bytes([byte]))
        if server.closed.wait(0.05):
            return


OK = answer(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
GARBAGE = answer(b"SURPRISE, NOT HTTP\r\n\r\n")
HUGE_HEADER = answer(b"HTTP/1.1 204 No Content\r\nX-Big: " + b"x" * 70_000 + b"\r\n\r\n")


@pytest.fixture
def servers():
    started = []

    def start(behave):
        server = Raw(behave)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture
def endpoints(settings):
    def configure(*urls):
        settings.MMM_WAGTAIL = {
            "WEBHOOKS": [{"URL": url, "SECRET": SECRET, "EVENTS": ["page.published"]} for url in urls],
            "WEBHOOK_BACKOFF": 10,
            "WEBHOOK_MAX_ATTEMPTS": 3,
            "WEBHOOK_TIMEOUT": TIMEOUT,
        }

    return configure


def publish(tree, commit):
    _, eu, _ = tree
    with commit(execute=True):
        return make_news(eu)


def row(url):
    return WebhookDelivery.objects.get(endpoint_key=endpoint_key(url))


@pytest.mark.parametrize(
    ("behave", "error"),
    [
        (hang, "TimeoutError"),  # the socket timeout or the deadline, whichever fires first
        (drip, "TimeoutError: no complete answer within 0.3 s"),
        (GARBAGE, "http.client.BadStatusLine"),
        (HUGE_HEADER, "http.client.LineTooLong"),
    ],
    ids=["hang", "drip", "garbage", "huge-header"],
)
def test_a_hostile_receiver_is_recorded_and_retried_and_the_healthy_one_delivered(
    tree, servers, endpoints, django_capture_on_commit_callbacks, behave, error
):
    hostile, healthy = servers(behave), servers(OK)
    endpoints(hostile.url, healthy.url)
    publish(tree, django_capture_on_commit_callbacks)  # no exception reaches the publisher
    bad, good = row(hostile.url), row(healthy.url)
    assert (good.status, good.attempts, good.response_status) == ("delivered", 1, 204)
    assert (bad.status, bad.attempts, bad.response_status) == ("retrying", 1, None)
    assert bad.error.startswith(error), bad.error
    assert bad.claimed_at is None and bad.next_attempt_at is not None


def test_a_redirect_is_a_failure_and_never_followed(
    tree, servers, endpoints, django_capture_on_commit_callbacks
):
    elsewhere = servers(OK)
    redirecting = servers(
        answer(f"HTTP/1.1 302 Found\r\nLocation: {elsewhere.url}?key=s3cret\r\n\r\n".encode())
    )
    endpoints(redirecting.url)
    publish(tree, django_capture_on_commit_callbacks)
    delivery = row(redirecting.url)
    assert (delivery.status, delivery.response_status) == ("failed", 302)
    assert "redirect" in delivery.error and "not followed" in delivery.error
    assert "s3cret" not in delivery.error
    assert elsewhere.connections == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/"])
def test_only_http_and_https_are_sent_to_checked_at_send_time(
    tree, endpoints, django_capture_on_commit_callbacks, url
):
    endpoints(url)  # system checks refuse it, but they do not run under gunicorn
    publish(tree, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.response_status is None
    assert delivery.error.startswith("Refused: only http:// and https://")


def test_credentials_in_the_url_are_sent_but_never_logged_or_shown(
    tree, servers, endpoints, admin_client, django_capture_on_commit_callbacks
):
    server = servers(OK)
    url = server.url.replace("http://", "http://hook-user:pa55word@") + "?token=t0ken-s3cret&x=1"
    endpoints(url)
    publish(tree, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered"
    (request,) = server.requests
    assert b"?token=t0ken-s3cret&x=1" in request.split(b"\r\n")[0]
    assert f"Authorization: Basic {base64.b64encode(b'hook-user:pa55word').decode()}".encode() in request
    pages = [
        admin_client.get("/admin/mmm_webhook_deliveries/").content.decode(),
        admin_client.get(f"/admin/mmm_webhook_deliveries/inspect/{delivery.pk}/").content.decode(),
    ]
    for shown in [delivery.url, delivery.error, *pages]:
        for secret in ("pa55word", "hook-user", "t0ken-s3cret"):
            assert secret not in shown
    assert delivery.url == server.url.replace("http://", "http://***@") + "?token=***&x=***"


def test_redact():
    assert redact("https://u:p@h.example:8443/p?a=1&b&c=") == "https://***@h.example:8443/p?a=***&b&c=***"
    assert redact("https://h.example/p") == "https://h.example/p"


def test_due_retries_never_run_in_the_request_that_publishes(
    tree, servers, endpoints, django_capture_on_commit_callbacks
):
    failing = servers(GARBAGE)
    endpoints(failing.url)
    publish(tree, django_capture_on_commit_callbacks)
    first = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(1))
    connections = failing.connections
    publish(tree, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    # The new change's own delivery was attempted once; the due retry waits for the command.
    assert first.attempts == 1 and failing.connections == connections + 1
    assert retry_due() == 1
    first.refresh_from_db()
    assert first.attempts == 2


def test_an_attempt_that_died_is_taken_again_never_left_pending(tree, servers, endpoints):
    server = servers(OK)
    endpoints(server.url)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    fields = {"url": server.url, "endpoint_key": endpoint_key(server.url), "event": "page.published"}
    # Claimed by a process that died mid-attempt, and enqueued by one that died before its task ran.
    died = WebhookDelivery.objects.create(
        message_id="msg_a", payload={}, attempts=1, claimed_at=long_ago, **fields
    )
    lost = WebhookDelivery.objects.create(message_id="msg_b", payload={}, **fields)
    WebhookDelivery.objects.filter(pk=lost.pk).update(created_at=long_ago)
    # A claim still running is left alone.
    running = WebhookDelivery.objects.create(
        message_id="msg_c", payload={}, attempts=1, claimed_at=timezone.now(), **fields
    )
    assert deliver([running.pk]) == 0
    call_command("mmm_webhooks_retry", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for delivery in (died, lost, running):
        delivery.refresh_from_db()
    assert (died.status, died.attempts) == ("delivered", 2)
    assert (lost.status, lost.attempts) == ("delivered", 1)
    assert (running.status, running.attempts) == ("pending", 1)


@pytest.fixture
def database_queue(settings):
    if django.VERSION >= (6, 0):
        # django-tasks-db 0.13 on Django 6 runs only django.tasks' own tasks; Wagtail's search
        # and reference-index tasks come from the django-tasks backport (example settings).
        pytest.skip("the database queue (django-tasks-db) is the example site's on Django 5.2 only")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def timed_publish(tree, commit):
    start = time.perf_counter()
    publish(tree, commit)
    return time.perf_counter() - start


def test_with_a_queue_a_publish_never_waits_on_receivers_and_the_worker_delivers(
    tree, servers, endpoints, database_queue, django_capture_on_commit_callbacks, capsys, monkeypatch
):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker closes old connections between tasks: the test's connection holds its
    # transaction (a file database here, which Django does close, unlike an in-memory one).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    healthy = servers(OK)
    endpoints(healthy.url)
    timed_publish(tree, django_capture_on_commit_callbacks)  # warm up
    with_none = min(timed_publish(tree, django_capture_on_commit_callbacks) for _ in range(3))
    hanging = servers(hang)
    dripping = servers(drip)
    endpoints(hanging.url, dripping.url, healthy.url)
    with_hanging = min(timed_publish(tree, django_capture_on_commit_callbacks) for _ in range(3))
    with capsys.disabled():
        print(
            f"\npublish with the database queue: {with_none * 1000:.1f} ms with a healthy receiver, "
            f"{with_hanging * 1000:.1f} ms with a hanging and a dripping one beside it "
            f"(WEBHOOK_TIMEOUT {TIMEOUT} s)"
        )
    # Nothing was sent in the publishing code path: the tasks wait in the queue.
    assert (hanging.connections, dripping.connections, healthy.connections) == (0, 0, 0)
    ours = DBTaskResult.objects.filter(task_path="mmm_wagtail.webhooks.delivery.deliver_task")
    assert ours.count() == 7
    queued = set(ours.values_list("pk", flat=True))
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    statuses = {
        url: set(
            WebhookDelivery.objects.filter(endpoint_key=endpoint_key(url)).values_list("status", flat=True)
        )
        for url in (healthy.url, hanging.url, dripping.url)
    }
    assert statuses == {healthy.url: {"delivered"}, hanging.url: {"retrying"}, dripping.url: {"retrying"}}
    # Each failure enqueued its own retry for later.
    retries = ours.exclude(pk__in=queued)
    assert retries.count() == 6 and all(task.run_after > timezone.now() for task in retries)
