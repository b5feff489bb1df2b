"""Test settings: the example site's, with media in a temporary folder and fast hashing."""

import tempfile

from mysite.settings import *  # noqa: F403

MEDIA_ROOT = tempfile.mkdtemp(prefix="mmm-wagtail-test-media-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
DEBUG = False
# The example site previews in its reference frontend; tests that need it say so (test_preview).
MMM_WAGTAIL = {}
# Tasks run at once in tests (each task framework's own immediate backend: no TASKS setting, as on
# Django 6 both django.tasks and the django-tasks backport read it); the tests of the queue
# (tests/api/test_webhook_faults.py) set one.
del TASKS  # noqa: F821
# A host page type overriding get_url_parts (tests/api/test_page_urls.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.urlapp"]  # noqa: F405
