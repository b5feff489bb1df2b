"""The test settings on a site with its own base page model (``WAGTAIL_PAGE_MODEL``, Wagtail 8 only):
the apps of the package and of Wagtail, without the example site's own (test_basepage.py)."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [
    "tests.basepage",
    *(app for app in INSTALLED_APPS if app not in {"demo", "frontend"}),  # noqa: F405
]
WAGTAIL_PAGE_MODEL = "basepage.BasePage"
ROOT_URLCONF = "tests.urlconfs.good"
MMM_WAGTAIL = {"BASE_TEMPLATE": "mmm_wagtail/standalone.html"}
