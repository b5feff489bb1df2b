"""The test settings on a one-language English site (test_dropin.py)."""

from tests.settings import *  # noqa: F403

LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]
