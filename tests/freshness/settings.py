"""The example site as the multi-process freshness test serves it through gunicorn.

``MMM_FRESH_CACHE=redis`` with ``REDIS_URL`` shares a Redis cache between the workers;
otherwise each worker keeps Django's default per-process memory cache, as a site made
with ``wagtail start`` does.
"""

import os

from mysite.settings import *  # noqa: F403
from tests.freshness.caches import caches_for

DEBUG = False
ALLOWED_HOSTS = ["*"]
CACHES = caches_for(
    os.environ.get("MMM_FRESH_CACHE", "locmem"),
    os.environ.get("REDIS_URL"),
    os.environ.get("MMM_FRESH_PREFIX", "mmm-fresh"),
)
MIDDLEWARE = ["tests.freshness.middleware.worker_headers", *MIDDLEWARE]  # noqa: F405
SILENCED_SYSTEM_CHECKS = ["mmm_wagtail.W001"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # moderation notifications
