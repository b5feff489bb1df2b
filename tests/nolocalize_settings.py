"""The test settings without wagtail_localize (test_dropin.py)."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if not app.startswith("wagtail_localize")]  # noqa: F405
INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail"), "wagtail.locales")
