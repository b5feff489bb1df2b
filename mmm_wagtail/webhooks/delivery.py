"""Sending webhooks: one logged delivery per endpoint and transaction, retried with backoff.

A change's deliveries are one task of Django's task framework (``deliver_task``), enqueued
after the commit. With a queue (the ``django-tasks-db`` database backend and its
``db_worker``), the request that made the change only writes the task; the worker makes the
attempts and enqueues each retry for its time. With the default immediate backend the
first attempts run in the request (all endpoints at once, bounded by ``WEBHOOK_TIMEOUT`` in
total); retries then wait for ``manage.py mmm_webhooks_retry`` (from cron), never for
another request.

An attempt claims its row first (``claimed_at``): two workers never send one delivery at
once, and a row whose attempt died with its process is taken again by ``retry_due`` once
the claim is stale.
"""

import datetime
import hashlib
import json
import logging
import time
import uuid

from django.db.models import F, Q
from django.utils import timezone

from .. import conf
from ..tasks import task
from . import signing
from .http import Post, redact

logger = logging.getLogger("mmm_wagtail.webhooks")

EVENTS = (
    "page.published",
    "page.unpublished",
    "page.changed",
    "page.moved",
    "page.deleted",
    "feed.changed",
    "tags.changed",
    "site.changed",
    "media.changed",
)
# What a delivery of several events is named after: the first of these among them (a
# deletion unpublishes its pages first; a publish saves the page first).
PRIORITY = (
    "page.deleted",
    "page.moved",
    "page.unpublished",
    "page.published",
    "page.changed",
    "feed.changed",
    "tags.changed",
    "site.changed",
    "media.changed",
)
# A claim older than the attempt's timeout and this margin belongs to an attempt that died.
CLAIM_MARGIN = datetime.timedelta(seconds=60)
# The statuses of a delivery still to attempt.
_OPEN = ("pending", "retrying")


def primary(events):
    """The event a delivery is named after: the first of ``PRIORITY`` among ``events``."""
    known = [event for event in PRIORITY if event in events]
    return known[0] if known else events[0]


def payload(events, changed_tags):
    """What a frontend needs to revalidate: events, tags, API paths, page paths, locales.

    ``events``: every event of the transaction (a publish is ``page.changed`` and
    ``page.published``); ``type`` names the first of them in ``PRIORITY``.
    """
    events = [events] if isinstance(events, str) else list(events)
    from ..basepage import Page
    from ..cache.purge import api_bases, paths_for

    changed_tags = sorted(changed_tags)
    page_ids = sorted(int(t.removeprefix("mmm-page-")) for t in changed_tags if t.startswith("mmm-page-"))
    page_paths = []
    for page in Page.objects.filter(pk__in=page_ids).specific(defer=True):
        url = page.get_url()
        if url:
            page_paths.append(url)
    return {
        "type": primary(events),
        "timestamp": timezone.now().isoformat(),
        "data": {
            "events": events,
            "tags": changed_tags,
            "locales": sorted(t.removeprefix("mmm-list-") for t in changed_tags if t.startswith("mmm-list-")),
            "api_paths": [base + path for base in api_bases() for path in paths_for(changed_tags)],
            "page_ids": page_ids,
            "page_paths": sorted(page_paths),
            "everything": "mmm" in changed_tags,
        },
    }


def _wants(endpoint, body):
    wanted = endpoint.get("EVENTS")
    if wanted and not set(wanted) & set(body["data"]["events"]):
        return False
    locales = endpoint.get("LOCALES")
    # A change of no particular language (a move, a site) concerns every endpoint.
    return not (locales and body["data"]["locales"] and not set(locales) & set(body["data"]["locales"]))


def endpoint_key(url):
    """What a logged delivery keeps to find its endpoint again: the log shows ``redact(url)``."""
    return hashlib.sha256(url.encode()).hexdigest()


def _endpoint(delivery):
    for endpoint in conf.get("WEBHOOKS"):
        if endpoint_key(endpoint["URL"]) == delivery.endpoint_key:
            return endpoint
    return None


def send(events, changed_tags):
    """Log one delivery of ``events`` (one transaction's) for every endpoint that wants one of
    them and enqueue their attempts as one task (call after the commit)."""
    from ..models import WebhookDelivery

    endpoints = conf.get("WEBHOOKS")
    if not endpoints:
        return
    body = payload(events, changed_tags)
    ids = [
        WebhookDelivery.objects.create(
            message_id=f"msg_{uuid.uuid4().hex}",
            url=redact(endpoint["URL"]),
            endpoint_key=endpoint_key(endpoint["URL"]),
            event=body["type"],
            payload=body,
        ).pk
        for endpoint in endpoints
        if _wants(endpoint, body)
    ]
    if ids:
        deliver_task.enqueue(ids)


@task()
def deliver_task(delivery_ids):
    deliver(delivery_ids)


def _stale(now):
    return now - datetime.timedelta(seconds=conf.get("WEBHOOK_TIMEOUT")) - CLAIM_MARGIN


def retry_due(now=None):
    """Attempt every delivery whose retry time has come, and every one whose attempt died
    (a stale claim, or a row never claimed); returns how many. Never call it in a request."""
    from ..models import WebhookDelivery

    now = now or timezone.now()
    stale = _stale(now)
    due = WebhookDelivery.objects.filter(
        Q(status=WebhookDelivery.Status.RETRYING, next_attempt_at__lte=now, claimed_at__isnull=True)
        | Q(status__in=_OPEN, claimed_at__lt=stale)
        | Q(status=WebhookDelivery.Status.PENDING, claimed_at__isnull=True, created_at__lt=stale)
    ).values_list("pk", flat=True)
    return deliver(list(due), now=now)


def _claim(delivery_id, now):
    """Take ``delivery_id`` for one attempt (counted now: an attempt that dies still counts)."""
    from ..models import WebhookDelivery

    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=_stale(now))
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (
        WebhookDelivery.objects.filter(claimable, due, pk=delivery_id, status__in=_OPEN).update(
            claimed_at=now, attempts=F("attempts") + 1, last_attempt_at=now
        )
        == 1
    )


def deliver(delivery_ids, now=None):
    """One attempt of each of ``delivery_ids`` still open and due, all at once: each waits at
    most ``WEBHOOK_TIMEOUT`` seconds in all, so a hanging endpoint delays no other. Returns
    how many were attempted."""
    from ..models import WebhookDelivery

    now = now or timezone.now()
    claimed = [pk for pk in delivery_ids if _claim(pk, now)]
    timeout = conf.get("WEBHOOK_TIMEOUT")
    posts = []
    for delivery in WebhookDelivery.objects.filter(pk__in=claimed):
        endpoint = _endpoint(delivery)
        if endpoint is None:
            posts.append((delivery, None))
            continue
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "mmm-wagtail-webhooks",
            **signing.headers(endpoint["SECRET"], delivery.message_id, int(now.timestamp()), body),
        }
        posts.append((delivery, Post(endpoint["URL"], body, headers, timeout).start()))
    deadline = time.monotonic() + timeout
    for delivery, post in posts:
        if post is None:
            outcome = (None, "The endpoint is no longer configured.", False)
        else:
            outcome = post.wait(deadline - time.monotonic())
        try:
            _record(delivery, outcome, now)
        except Exception:
            # The claim goes stale and retry_due takes the row again; the other rows go on.
            logger.exception("Could not record webhook delivery %s", delivery.pk)
    return len(claimed)


def _record(delivery, outcome, now):
    from ..models import WebhookDelivery

    status, error, retry = outcome
    delivery.response_status, delivery.claimed_at = status, None
    delivery.error = error
    if not error:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.DELIVERED, None
    elif retry and delivery.attempts < conf.get("WEBHOOK_MAX_ATTEMPTS"):
        delay = conf.get("WEBHOOK_BACKOFF") * 2 ** (delivery.attempts - 1)
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = now + datetime.timedelta(seconds=delay)
    else:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        logger.warning("Webhook %s to %s given up: %s", delivery.message_id, delivery.url, error)
    delivery.save(update_fields=["response_status", "claimed_at", "error", "status", "next_attempt_at"])
    if delivery.status == WebhookDelivery.Status.RETRYING:
        _schedule(delivery)


def _schedule(delivery):
    """Enqueue the retry for its time where the backend can defer (a queue's worker runs it);
    the immediate backend cannot: ``mmm_webhooks_retry`` does."""
    if getattr(deliver_task.get_backend(), "supports_defer", False):
        deliver_task.using(run_after=delivery.next_attempt_at).enqueue([delivery.pk])
