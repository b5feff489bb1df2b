from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MMMWagtailConfig(AppConfig):
    name = "mmm_wagtail"
    label = "mmm_wagtail"
    verbose_name = _("MMM delegations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported for their side effects: system checks and translation signals.
        from django.db.models.signals import post_migrate

        from . import checks, translating  # noqa: F401
        from .cache import receivers as cache_receivers
        from .cache import versions
        from .listing import receivers as listing_receivers

        cache_receivers.connect()
        listing_receivers.connect()
        translating.apply_publish_new_translations()
        post_migrate.connect(translating.ensure_default_locale, sender=self)
        post_migrate.connect(versions.ensure_counter, sender=self)
