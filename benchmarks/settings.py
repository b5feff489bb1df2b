"""Settings of the benchmark: the example site's, on a database of its own.

SQLite file in the system's temporary folder by default; ``DATABASE_URL`` for PostgreSQL.
"""

import os
import tempfile

import dj_database_url

from mysite.settings import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.path.join(tempfile.gettempdir(), 'mmm-wagtail-bench.sqlite3')}",
        conn_max_age=600,
    )
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), "mmm-wagtail-bench-media")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
