"""Sending webhooks: one logged delivery per endpoint and transaction, retried with backoff.

Each attempt is a task of Django's task framework. With a backend that can defer tasks
(a database or queue backend), a failed attempt enqueues the next one at its time. The
default immediate backend cannot: due retries then run with the next change's webhooks
or with ``manage.py mmm_webhooks_retry`` (from cron).
"""

import datetime
import json
import logging
import urllib.error
import urllib.request
import uuid

from django.utils import timezone

from .. import conf
from ..tasks import task
from . import signing

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
# A retry helps with these; any other 4xx will not change by itself.
RETRY_STATUSES = {408, 409, 425, 429}


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
    from wagtail.models import Page

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


def send(events, changed_tags):
    """Log and attempt one delivery of ``events`` (one transaction's) to every endpoint that
    wants one of them (after the commit)."""
    from ..models import WebhookDelivery

    endpoints = conf.get("WEBHOOKS")
    if not endpoints:
        return
    retry_due()
    body = payload(events, changed_tags)
    for endpoint in endpoints:
        if _wants(endpoint, body):
            delivery = WebhookDelivery.objects.create(
                message_id=f"msg_{uuid.uuid4().hex}", url=endpoint["URL"], event=body["type"], payload=body
            )
            attempt_task.enqueue(delivery.pk)


def retry_due(now=None):
    """Attempt every delivery whose retry time has come; returns how many."""
    from ..models import WebhookDelivery

    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.RETRYING, next_attempt_at__lte=now or timezone.now()
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        attempt(pk)
        count += 1
    return count


@task()
def attempt_task(delivery_id):
    attempt(delivery_id)


def _secret_for(url):
    for endpoint in conf.get("WEBHOOKS"):
        if endpoint["URL"] == url:
            return endpoint["SECRET"]
    return None


def attempt(delivery_id):
    """One attempt of a delivery: POST, then delivered, a retry scheduled, or given up."""
    from ..models import WebhookDelivery

    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    if delivery.status in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED):
        return
    secret = _secret_for(delivery.url)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    retry = False
    if secret is None:
        delivery.error = "The endpoint is no longer configured."
    else:
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        request = urllib.request.Request(
            delivery.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "mmm-wagtail-webhooks",
                **signing.headers(secret, delivery.message_id, int(now.timestamp()), body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=conf.get("WEBHOOK_TIMEOUT")) as response:
                delivery.response_status = response.status
                delivery.error = ""
        except urllib.error.HTTPError as error:
            delivery.response_status = error.code
            delivery.error = f"HTTP {error.code}"
            retry = error.code >= 500 or error.code in RETRY_STATUSES
        except (OSError, ValueError) as error:  # timeouts, refused connections, bad URLs
            delivery.response_status = None
            delivery.error = f"{type(error).__name__}: {error}"
            retry = not isinstance(error, ValueError)
    if not delivery.error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.next_attempt_at = None
    elif retry and delivery.attempts < conf.get("WEBHOOK_MAX_ATTEMPTS"):
        delay = conf.get("WEBHOOK_BACKOFF") * 2 ** (delivery.attempts - 1)
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = now + datetime.timedelta(seconds=delay)
    else:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        logger.warning("Webhook %s to %s given up: %s", delivery.message_id, delivery.url, delivery.error)
    delivery.save()
    if delivery.status == WebhookDelivery.Status.RETRYING:
        _schedule(delivery)


def _schedule(delivery):
    backend = attempt_task.get_backend()
    if getattr(backend, "supports_defer", False):
        attempt_task.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
