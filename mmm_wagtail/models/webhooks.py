"""The delivery log of outgoing webhooks (``mmm_wagtail.webhooks``), read in the Wagtail admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        RETRYING = "retrying", _("retrying")
        FAILED = "failed", _("failed (given up)")

    message_id = models.CharField(_("message id"), max_length=64, db_index=True)
    # The endpoint's URL with its credentials redacted (webhooks.http.redact), never its secret;
    # endpoint_key (a SHA-256 of the full URL) finds its settings again.
    url = models.URLField(_("endpoint"), max_length=500)
    endpoint_key = models.CharField(_("endpoint key"), max_length=64, blank=True, editable=False)
    event = models.CharField(_("event"), max_length=50)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("last response status"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Set while an attempt runs: a claim older than the timeout belongs to an attempt that
    # died, and mmm_webhooks_retry takes the row again.
    claimed_at = models.DateTimeField(_("attempt started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.event} → {self.url} ({self.status})"
