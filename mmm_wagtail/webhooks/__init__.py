"""Outgoing webhooks telling headless frontends what changed.

- ``signing.py``: Standard Webhooks signatures (``webhook-id``, ``webhook-timestamp``,
  ``webhook-signature``: HMAC-SHA256 with the ``whsec_`` secret).
- ``delivery.py``: the event body (tags, API paths, page paths, locales), one logged
  ``WebhookDelivery`` per endpoint, attempts as tasks of Django's task framework, retries
  with exponential backoff up to ``WEBHOOK_MAX_ATTEMPTS``.

Endpoints are configured in ``MMM_WAGTAIL["WEBHOOKS"]``; docs/caching.md shows a Next.js
route handler that verifies the signature and revalidates.
"""
