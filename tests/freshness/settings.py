"""The example site as the multi-process freshness test serves it through gunicorn.

``MMM_FRESH_CACHE=redis`` with ``REDIS_URL`` shares a Redis cache between the workers;
otherwise each worker keeps Django's default per-process memory cache, as a site made
with ``wagtail start`` does.
"""

import os

from mysite.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
if os.environ.get("MMM_FRESH_CACHE") == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("MMM_FRESH_PREFIX", "mmm-fresh"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MIDDLEWARE = ["tests.freshness.middleware.worker_headers", *MIDDLEWARE]  # noqa: F405
SILENCED_SYSTEM_CHECKS = ["mmm_wagtail.W001"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # moderation notifications
