"""Settings of the example site: a complete Wagtail site using mmm_wagtail.

SQLite by default; ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` the cache to
Redis. Not for production as is (DEBUG, a throw-away SECRET_KEY).
"""

import importlib.util
import os
from pathlib import Path

import dj_database_url
import django

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "example-project-not-secret")
DEBUG = os.environ.get("DEBUG", "1") == "1"
# Comma-separated host names this site answers (never "*" in production: Django would then
# accept any Host header). Default: the machine itself, for ``make demo``.
ALLOWED_HOSTS = [
    host for host in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if host
]

INSTALLED_APPS = [
    "mmm_wagtail",
    "demo",
    "frontend",
    "wagtail_localize",
    "wagtail_localize.locales",
    # The task queue in the database (TASKS below): webhooks and purges leave the request.
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "corsheaders",
    # Serves the API docs (Swagger UI) from its own static files rather than a CDN.
    "ninja",
    "rest_framework",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # WordPress's ?p=ID / ?page_id=ID at a live page's path (docs/import.md).
    "mmm_wagtail.wordpress.middleware.QueryRedirectMiddleware",
]

ROOT_URLCONF = "mysite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "mysite.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600)
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wagtail's admin autosaves and refreshes previews while the editor types: overlapping
    # writes on SQLite's defaults end in "database is locked". WAL lets readers run beside a
    # writer; IMMEDIATE takes the write lock when a transaction starts, so a second writer
    # waits (up to the timeout, seconds) instead of failing when it upgrades a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "mmm-example",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = []

# Internationalisation: French first (MMM's editors work in French), English second.
LANGUAGE_CODE = "fr"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

WAGTAIL_SITE_NAME = "Make Mothers Matter"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "xlsx", "csv"]

# Frontends allowed to read the API from a browser (django-cors-headers).
CORS_ALLOWED_ORIGINS = [
    origin for origin in os.environ.get("CORS_ALLOWED_ORIGINS", "http://localhost:3000").split(",") if origin
]
CORS_URLS_REGEX = r"^/api/.*$"

# The preview panel posts the form this long after the editor's first change since its last
# update (Wagtail's default 500 ms); mmm-wagtail's editor script then sends the frontend a new
# token and it renders the draft in place (docs/preview.md, "Live updates"). Lower refreshes
# sooner while typing, at the cost of more requests.
WAGTAIL_AUTO_UPDATE_PREVIEW_INTERVAL = 250

MMM_WAGTAIL = {
    # Wagtail's preview shows the reference frontend (example_project/frontend) by default.
    "PREVIEW_CLIENT_URLS": {"default": "{SITE_ROOT_URL}/frontend/"},
}
# Beside the Next.js frontend (example_project/frontend-next, `make demo-next`): previews open
# its draft-mode route and publishes reach its revalidation route as signed webhooks.
if os.environ.get("MMM_NEXT_URL"):
    _next = os.environ["MMM_NEXT_URL"].rstrip("/")
    MMM_WAGTAIL["PREVIEW_CLIENT_URLS"] = {"default": f"{_next}/api/preview/"}
    MMM_WAGTAIL["WEBHOOKS"] = [
        {"URL": f"{_next}/api/revalidate/", "SECRET": os.environ["MMM_WEBHOOK_SECRET"]}
    ]

# Wagtail 8's own headless API v3 (django-ninja), with our endpoints added under /api/v3/mmm/.
if importlib.util.find_spec("wagtail.api.v3"):  # not in Wagtail 7.4
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.api.v2"), "wagtail.api.v3")

# Varnish in front (docs/varnish/default.vcl): responses name their tags in an xkey header and
# each change purges them by tag, from the task worker (docs/caching.md, "Varnish").
if os.environ.get("VARNISH_URL"):
    MMM_WAGTAIL["CACHE_TAG_HEADER"] = "xkey"
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "mmm_wagtail.cache.purge.VarnishXkeyBackend",
            "LOCATION": os.environ["VARNISH_URL"],
        }
    }

# Django's task framework (the django-tasks backport Wagtail uses) with a real queue: a
# publish only writes its webhook and purge tasks, and `manage.py db_worker` sends them and
# their retries (docs/caching.md, "Webhooks"). TASKS_BACKEND=immediate runs them in the
# request instead, as a site without a worker would (retries then from
# `manage.py mmm_webhooks_retry`, never in a request).
# On Django 6, django-tasks-db 0.13 runs only django.tasks' own tasks, while Wagtail's (search and
# reference index, through the django-tasks backport) are the backport's: its worker refuses them.
# The example site keeps the database queue on Django 5.2 and runs tasks at once on Django 6.
DEFAULT_TASKS_BACKEND = "database" if django.VERSION < (6, 0) else "immediate"
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("TASKS_BACKEND", DEFAULT_TASKS_BACKEND)]
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Errors of requests go to the console as well as to ADMINS, with their tracebacks: what
# `runserver` and gunicorn print is where a 500 is diagnosed (tests/test_sqlite_concurrency.py
# keeps the server's output on failure).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": True}},
}
