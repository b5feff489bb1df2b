"""The test settings plus a site app with its own NewsPage and DelegationPage."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = ["tests.siteapp", *INSTALLED_APPS]  # noqa: F405
