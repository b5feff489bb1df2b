"""The webhook delivery log in the Wagtail admin (Settings → Webhook deliveries): read only."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from ..models import WebhookDelivery


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Deliveries are written by the sender only: nobody adds, edits or deletes one."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "resubmit"
    menu_label = _("Webhook deliveries")
    add_to_settings_menu = True
    inspect_view_enabled = True
    list_display = ["event", "url", "status", "attempts", "response_status", "created_at", "last_attempt_at"]
    list_filter = ["status", "event"]
    inspect_view_fields = [
        "message_id",
        "event",
        "url",
        "status",
        "attempts",
        "response_status",
        "error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "claimed_at",
        "payload",
    ]
    form_fields = []


policy = ReadOnlyPolicy(WebhookDelivery)
try:  # Wagtail 8 registers policies per model; 7.4 takes it from the viewset
    from wagtail.permissions import register_permission_policy

    register_permission_policy(WebhookDelivery, policy)
except ImportError:
    WebhookDeliveryViewSet.permission_policy = policy

webhook_delivery_viewset = WebhookDeliveryViewSet("mmm_webhook_deliveries")
