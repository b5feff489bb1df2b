"""Outgoing webhooks against a local receiver, verified with the Standard Webhooks reference library."""

import base64
import datetime
import http.server
import json
import os
import threading

import pytest
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook

from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available
from mmm_wagtail.models import WebhookDelivery
from mmm_wagtail.webhooks import signing
from mmm_wagtail.webhooks.delivery import retry_due

from .conftest import make_news

SECRET = "whsec_" + base64.b64encode(os.urandom(32)).decode()


class Receiver:
    """An HTTP server on a free port answering each POST with the next planned reply."""

    def __init__(self):
        self.received = []
        self.plan = []  # "ok", "fail" (503), "slow" (answers only at close), "gone" (410)
        self.closing = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                reply = receiver.plan.pop(0) if receiver.plan else "ok"
                if reply == "slow":
                    receiver.closing.wait()  # past the sender's timeout, however slow the machine
                status = {"ok": 204, "fail": 503, "slow": 204, "gone": 410}[reply]
                try:
                    self.send_response(status)
                    self.end_headers()
                except OSError:  # the sender gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/revalidate"
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()

    def close(self):
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    server = Receiver()
    settings.MMM_WAGTAIL = {
        "WEBHOOKS": [{"URL": server.url, "SECRET": SECRET}],
        "WEBHOOK_BACKOFF": 10,
        "WEBHOOK_MAX_ATTEMPTS": 3,
        "WEBHOOK_TIMEOUT": 0.3,
    }
    yield server
    server.close()


def publish(tree, commit, **fields):
    _, eu, _ = tree
    with commit(execute=True):
        return make_news(eu, **fields)


def test_a_publish_sends_a_signed_body_that_names_what_changed(
    tree, receiver, django_capture_on_commit_callbacks
):
    page = publish(tree, django_capture_on_commit_callbacks, title="Signed")
    published = [json.loads(body) for _, body in receiver.received if b'"page.published"' in body]
    assert published, "a page.published event was delivered"
    headers, body = next((h, b) for h, b in receiver.received if b'"page.published"' in b)
    # The reference implementation of the specification accepts it.
    verified = Webhook(SECRET).verify(body, {k.lower(): v for k, v in headers.items()})
    data = verified["data"]
    assert verified["type"] == "page.published"
    assert f"mmm-page-{page.pk}" in data["tags"] and data["locales"] == ["fr"]
    assert f"/api/mmm/news/{page.pk}/" in data["api_paths"]
    # Inside Wagtail's API v3 too, where Wagtail has one (8 and later).
    assert (f"/api/v3/mmm/news/{page.pk}/" in data["api_paths"]) == wagtail_v3_available()
    assert page.pk in data["page_ids"] and page.url in data["page_paths"]
    # A tampered body or another secret fails.
    other = "whsec_" + base64.b64encode(b"x" * 32).decode()
    with pytest.raises(Exception):  # noqa: B017 - the library raises its own WebhookVerificationError
        Webhook(other).verify(body, {k.lower(): v for k, v in headers.items()})
    with pytest.raises(Exception):  # noqa: B017
        Webhook(SECRET).verify(body + b" ", {k.lower(): v for k, v in headers.items()})
    delivery = WebhookDelivery.objects.filter(event="page.published").first()
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.response_status == 204


def test_signature_matches_the_specifications_example():
    # The example of the Standard Webhooks specification.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert signing.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected


def test_retries_with_backoff_on_5xx_and_timeouts_then_delivers(
    tree, receiver, django_capture_on_commit_callbacks
):
    receiver.plan = ["fail", "slow", "ok"]
    settings_events = {"EVENTS": ["page.published"]}
    from django.conf import settings

    settings.MMM_WAGTAIL["WEBHOOKS"][0].update(settings_events)
    publish(tree, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 1, 503)
    assert delivery.next_attempt_at - delivery.last_attempt_at == datetime.timedelta(seconds=10)
    assert retry_due() == 0  # not due yet
    assert retry_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 2)
    assert "timed out" in delivery.error.lower() or "timeout" in delivery.error.lower()
    assert delivery.next_attempt_at - delivery.last_attempt_at == datetime.timedelta(seconds=20)
    assert retry_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("delivered", 3, "")
    # Every attempt carries the same message id: the receiver can drop duplicates.
    assert len({{k.lower(): v for k, v in h.items()}["webhook-id"] for h, _ in receiver.received}) == 1


def test_gives_up_after_the_limit_and_on_a_4xx(tree, receiver, django_capture_on_commit_callbacks):
    from django.conf import settings

    settings.MMM_WAGTAIL["WEBHOOKS"][0]["EVENTS"] = ["page.published"]
    receiver.plan = ["fail", "fail", "fail", "fail"]
    publish(tree, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    for _ in range(2):
        retry_due(now=delivery.next_attempt_at)
        delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert retry_due(now=datetime.datetime.max.replace(tzinfo=datetime.UTC)) == 0
    receiver.plan = ["gone"]
    publish(tree, django_capture_on_commit_callbacks)
    latest = WebhookDelivery.objects.first()
    assert (latest.status, latest.attempts, latest.response_status) == ("failed", 1, 410)


def test_events_and_locales_filter_endpoints(tree, receiver, django_capture_on_commit_callbacks):
    from django.conf import settings

    settings.MMM_WAGTAIL["WEBHOOKS"][0]["LOCALES"] = ["en"]
    publish(tree, django_capture_on_commit_callbacks)
    assert receiver.received == []
    settings.MMM_WAGTAIL["WEBHOOKS"][0]["LOCALES"] = ["fr"]
    settings.MMM_WAGTAIL["WEBHOOKS"][0]["EVENTS"] = ["page.unpublished"]
    page = publish(tree, django_capture_on_commit_callbacks)
    assert receiver.received == []
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert [json.loads(body)["type"] for _, body in receiver.received] == ["page.unpublished"]


def test_the_log_is_readable_in_the_admin_and_never_shows_the_secret(
    tree, receiver, admin_client, django_capture_on_commit_callbacks
):
    publish(tree, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.first()
    listing = admin_client.get("/admin/mmm_webhook_deliveries/")
    assert listing.status_code == 200
    assert receiver.url in listing.content.decode()
    inspect = admin_client.get(f"/admin/mmm_webhook_deliveries/inspect/{delivery.pk}/")
    assert inspect.status_code == 200 and delivery.message_id in inspect.content.decode()
    secret = SECRET.removeprefix("whsec_")
    assert secret not in listing.content.decode() and secret not in inspect.content.decode()
    assert admin_client.get("/admin/mmm_webhook_deliveries/add/").status_code in (302, 403)


def test_the_retry_command(tree, receiver, django_capture_on_commit_callbacks, capsys):
    receiver.plan = ["fail"] * 10
    publish(tree, django_capture_on_commit_callbacks)
    WebhookDelivery.objects.update(next_attempt_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    count = WebhookDelivery.objects.filter(status="retrying").count()
    call_command("mmm_webhooks_retry")
    assert f"{count} webhook deliveries attempted" in capsys.readouterr().out


@pytest.mark.parametrize(
    "endpoint",
    [
        {"URL": "ftp://x", "SECRET": SECRET},
        {"URL": "https://x", "SECRET": "not-a-secret"},
        {"URL": "https://x", "SECRET": SECRET, "EVENTS": ["page.exploded"]},
    ],
)
def test_bad_webhook_settings_are_reported_without_the_secret(settings, endpoint):
    from mmm_wagtail.checks import check_settings

    settings.MMM_WAGTAIL = {"WEBHOOKS": [endpoint]}
    (error,) = check_settings(None)
    assert error.id == "mmm_wagtail.E006"
    assert "not-a-secret" not in error.msg and SECRET not in error.msg


def test_one_transaction_is_one_delivery_listing_every_event(
    tree, receiver, django_capture_on_commit_callbacks
):
    from django.db import transaction

    _, eu, _ = tree
    page = make_news(eu, title="Draft", publish=False)
    receiver.received.clear()
    # As the admin's edit view publishes: the page saved (page.changed), then published.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        page.title = "Once"
        page.save_revision().publish()
    bodies = [json.loads(body) for _, body in receiver.received]
    assert len(bodies) == 1 and WebhookDelivery.objects.count() == 1
    (body,) = bodies
    assert body["type"] == "page.published"
    assert set(body["data"]["events"]) == {"page.changed", "page.published"}
    assert f"mmm-page-{page.pk}" in body["data"]["tags"]


def test_a_subtree_deletion_bumps_once_and_sends_once(
    tree, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    from mmm_wagtail.cache import changes as signals
    from mmm_wagtail.models import DelegationPage

    _, eu, _ = tree
    for title in ("One", "Two", "Three"):
        publish(tree, django_capture_on_commit_callbacks, title=title)
    receiver.received.clear()
    bumps = []
    bump = signals.bump
    monkeypatch.setattr(signals, "bump", lambda tags: bumps.append(tags) or bump(tags))
    with django_capture_on_commit_callbacks(execute=True):
        DelegationPage.objects.get(pk=eu.pk).delete()  # the delegation and its three news
    assert len(bumps) == 1
    (body,) = [json.loads(body) for _, body in receiver.received]
    assert body["type"] == "page.deleted" and "mmm" in body["data"]["tags"]
    assert {"page.deleted", "page.unpublished"} <= set(body["data"]["events"])


def test_a_rolled_back_savepoint_never_takes_a_bump_away(tree, receiver, django_capture_on_commit_callbacks):
    from django.db import transaction

    from mmm_wagtail.cache.versions import changed_since
    from mmm_wagtail.models import ContentTag

    _, eu, _ = tree
    kept = make_news(eu, title="Kept", publish=False)
    dropped = make_news(eu, title="Dropped", publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        pass
    receiver.received.clear()
    counter = ContentTag.objects.get(tag="*").version
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                dropped.save_revision().publish()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        kept.save_revision().publish()
    # One delivery for the transaction (it may name the rolled-back change too: a needless
    # revalidation, never a missed one).
    (body,) = [json.loads(body) for _, body in receiver.received]
    assert f"mmm-page-{kept.pk}" in body["data"]["tags"]
    # The change that stayed was bumped, not taken for the rolled-back one's bump.
    assert changed_since([f"mmm-page-{kept.pk}"], counter)


def test_without_django_internals_each_change_is_bumped_and_sent_once_after_the_commit(
    tree, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    """The fallback of ``cache.changes`` (a Django without ``run_on_commit``/``savepoint_ids``):
    every change that commits is bumped and sent once, after the commit; a rolled-back one
    neither."""
    from django.db import transaction

    from mmm_wagtail.cache import changes
    from mmm_wagtail.cache.versions import changed_since
    from mmm_wagtail.models import ContentTag

    monkeypatch.setattr(changes, "CONNECTION_INTERNALS", ("run_on_commit_renamed",))
    _, eu, _ = tree
    kept = make_news(eu, title="Kept", publish=False)
    dropped = make_news(eu, title="Dropped", publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        pass
    receiver.received.clear()
    counter = ContentTag.objects.get(tag="*").version
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                dropped.save_revision().publish()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        kept.title = "Kept, published"
        kept.save_revision().publish()
        assert receiver.received == []  # nothing before the commit
    assert callbacks
    bodies = [json.loads(body) for _, body in receiver.received]
    assert len(bodies) == WebhookDelivery.objects.count()
    events = [event for body in bodies for event in body["data"]["events"]]
    assert sorted(events) == ["page.changed", "page.published"]  # each once
    tags = {tag for body in bodies for tag in body["data"]["tags"]}
    assert f"mmm-page-{kept.pk}" in tags and f"mmm-page-{dropped.pk}" not in tags
    assert changed_since([f"mmm-page-{kept.pk}"], counter)
    assert not changed_since([f"mmm-page-{dropped.pk}"], counter)
