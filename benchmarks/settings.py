"""Settings of the benchmark: the example site's, on a database of its own.

SQLite file in the system's temporary folder by default; ``DATABASE_URL`` for PostgreSQL.
"""

import os
import tempfile

import dj_database_url

from mysite.settings import *  # noqa: F403
from mysite.settings import DATABASES as SITE_DATABASES

DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.path.join(tempfile.gettempdir(), 'mmm-wagtail-bench.sqlite3')}",
        conn_max_age=600,
    )
}
if DATABASES["default"]["ENGINE"] == SITE_DATABASES["default"]["ENGINE"]:
    # The example site's connection options (on SQLite: WAL, which also makes a read's locking
    # cheaper than the default rollback journal): a benchmark measures the site as it runs.
    DATABASES["default"]["OPTIONS"] = dict(SITE_DATABASES["default"].get("OPTIONS", {}))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The example site's URLs and Wagtail's own API v3, which the example site leaves out (urls.py).
ROOT_URLCONF = "benchmarks.urls"
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), "mmm-wagtail-bench-media")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
