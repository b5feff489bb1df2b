"""Django system checks for the ``MMM_WAGTAIL`` settings dict and the database."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DEFAULT_DB_ALIAS, connections

from . import conf


def _positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _non_negative_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@register(Tags.compatibility)
def check_settings(app_configs, **kwargs):
    errors = []
    user = getattr(settings, "MMM_WAGTAIL", {})
    if not isinstance(user, dict):
        return [Error("MMM_WAGTAIL must be a dict.", id="mmm_wagtail.E001")]
    for key in sorted(set(user) & set(conf.REMOVED)):
        errors.append(
            Warning(f"MMM_WAGTAIL['{key}'] is no longer used.", hint=conf.REMOVED[key], id="mmm_wagtail.W004")
        )
    unknown = sorted(set(user) - set(conf.DEFAULTS) - set(conf.REMOVED))
    if unknown:
        errors.append(
            Error(
                f"MMM_WAGTAIL has unknown keys: {', '.join(unknown)}.",
                hint=f"Known keys: {', '.join(sorted(conf.DEFAULTS))}.",
                id="mmm_wagtail.E002",
            )
        )

    def bad(key, expected):
        errors.append(
            Error(f"MMM_WAGTAIL['{key}'] must be {expected}; got {conf.get(key)!r}.", id="mmm_wagtail.E003")
        )

    for key in (
        "API_DEFAULT_LIMIT",
        "API_MAX_LIMIT",
        "TEASER_LENGTH",
        "DELEGATION_PAGE_NEWS",
        "DELEGATION_FEED_ITEMS",
        "MAX_STATEMENTS",
    ):
        if not _positive_int(conf.get(key)):
            bad(key, "a positive integer")
    for key in (
        "CACHE_MAX_AGE",
        "CACHE_S_MAXAGE",
        "CACHE_STALE_WHILE_REVALIDATE",
        "CACHE_TIMEOUT",
        "CACHE_LOCAL_ENTRIES",
    ):
        if not _non_negative_int(conf.get(key)):
            bad(key, "an integer >= 0")
    if (
        _positive_int(conf.get("API_DEFAULT_LIMIT"))
        and _positive_int(conf.get("API_MAX_LIMIT"))
        and conf.get("API_DEFAULT_LIMIT") > conf.get("API_MAX_LIMIT")
    ):
        bad("API_DEFAULT_LIMIT", "at most API_MAX_LIMIT")
    formats = conf.get("DATE_FORMATS")
    if (
        not isinstance(formats, dict)
        or "default" not in formats
        or not all(isinstance(v, str) and v for v in formats.values())
    ):
        bad("DATE_FORMATS", 'a dict of non-empty format strings with a "default" key')
    renditions = conf.get("RENDITIONS")
    if not isinstance(renditions, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in renditions.items()
    ):
        bad("RENDITIONS", "a dict of name -> Wagtail filter spec strings")
    else:
        from wagtail.images.models import Filter

        for name, spec in renditions.items():
            try:
                Filter(spec).operations  # noqa: B018 - parsing the spec is the check
            except Exception as exc:  # Wagtail raises several types for a bad spec
                errors.append(
                    Error(
                        f"MMM_WAGTAIL['RENDITIONS']['{name}'] is not a valid filter spec: {spec!r} ({exc}).",
                        id="mmm_wagtail.E004",
                    )
                )
    errors.extend(_check_image_sizes())
    if conf.get("UNTRANSLATED") not in ("hide", "fallback"):
        bad("UNTRANSLATED", '"hide" or "fallback"')
    for key in ("STYLESHEET", "PUBLISH_NEW_TRANSLATIONS"):
        if not isinstance(conf.get(key), bool):
            bad(key, "True or False")
    errors.extend(_check_translation_switch(user))
    alias = conf.get("CACHE_ALIAS")
    if alias is not None and alias not in settings.CACHES:
        bad("CACHE_ALIAS", f"None or one of settings.CACHES ({', '.join(settings.CACHES)})")
    errors.extend(_check_webhooks())
    for key in ("WEBHOOK_MAX_ATTEMPTS", "WEBHOOK_TIMEOUT"):
        if not _positive_int(conf.get(key)):
            bad(key, "a positive integer")
    backoff = conf.get("WEBHOOK_BACKOFF")
    if not isinstance(backoff, int | float) or isinstance(backoff, bool) or backoff < 0:
        bad("WEBHOOK_BACKOFF", "a number of seconds >= 0")
    header = conf.get("CACHE_TAG_HEADER")
    if header is not None and not (isinstance(header, str) and header.strip() and ":" not in header):
        bad("CACHE_TAG_HEADER", 'None or a header name such as "Cache-Tag", "Surrogate-Key" or "xkey"')
    if not _positive_int(conf.get("PREVIEW_TOKEN_MAX_AGE")):
        bad("PREVIEW_TOKEN_MAX_AGE", "a positive integer (seconds)")
    search_configs = conf.get("SEARCH_CONFIGS")
    if not isinstance(search_configs, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) and v for k, v in search_configs.items()
    ):
        bad("SEARCH_CONFIGS", 'a dict of language code -> text search configuration, e.g. {"fr": "french"}')
    client_urls = conf.get("PREVIEW_CLIENT_URLS")
    if not isinstance(client_urls, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in client_urls.items()
    ):
        bad("PREVIEW_CLIENT_URLS", 'a dict of site hostname or "default" -> frontend preview URL')
    return errors


def _check_image_sizes():
    sizes = conf.get("IMAGE_SIZES")
    expected = (
        'a dict with "WIDTHS" (positive integers), "RATIOS" ("width:height" strings such as "4:3") '
        'and "FORMATS" (Wagtail output formats such as "webp")'
    )
    if not isinstance(sizes, dict) or set(sizes) - {"WIDTHS", "RATIOS", "FORMATS"}:
        return [
            Error(f"MMM_WAGTAIL['IMAGE_SIZES'] must be {expected}; got {sizes!r}.", id="mmm_wagtail.E003")
        ]
    widths, ratios, formats = (sizes.get(key, []) for key in ("WIDTHS", "RATIOS", "FORMATS"))
    fine = (
        isinstance(widths, list | tuple)
        and all(_positive_int(w) for w in widths)
        and isinstance(ratios, list | tuple)
        and all(
            isinstance(r, str)
            and len(parts := r.split(":")) == 2
            and all(p.isdigit() and int(p) > 0 for p in parts)
            for r in ratios
        )
        and isinstance(formats, list | tuple)
        and all(isinstance(f, str) for f in formats)
    )
    if not fine:
        return [
            Error(f"MMM_WAGTAIL['IMAGE_SIZES'] must be {expected}; got {sizes!r}.", id="mmm_wagtail.E003")
        ]
    from wagtail.images.models import Filter

    errors = []
    for fmt in formats:
        try:
            Filter(f"width-1|format-{fmt}").operations  # noqa: B018 - parsing the spec is the check
        except Exception as exc:  # Wagtail raises several types for a bad spec
            errors.append(
                Error(
                    f"MMM_WAGTAIL['IMAGE_SIZES']['FORMATS'] has {fmt!r}, "
                    f"not a Wagtail output format ({exc}).",
                    id="mmm_wagtail.E004",
                )
            )
    return errors


def _check_translation_switch(user):
    """A project that sets wagtail-localize's switch itself keeps it (``translating``): say so
    when it contradicts an explicit ``PUBLISH_NEW_TRANSLATIONS``."""
    from .translating import project_switch

    switch = project_switch()
    if "PUBLISH_NEW_TRANSLATIONS" not in user or switch is None:
        return []
    if bool(switch) == bool(user["PUBLISH_NEW_TRANSLATIONS"]):
        return []
    return [
        Warning(
            f"MMM_WAGTAIL['PUBLISH_NEW_TRANSLATIONS'] is {user['PUBLISH_NEW_TRANSLATIONS']!r} but "
            f"WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE is {switch!r}, which wins.",
            hint="Set only one of them.",
            id="mmm_wagtail.W002",
        )
    ]


def _check_webhooks():
    from .webhooks.delivery import EVENTS
    from .webhooks.signing import secret_bytes

    endpoints = conf.get("WEBHOOKS")
    if not isinstance(endpoints, list | tuple):
        return [Error("MMM_WAGTAIL['WEBHOOKS'] must be a list of dicts.", id="mmm_wagtail.E006")]
    errors = []
    for number, endpoint in enumerate(endpoints):
        where = f"MMM_WAGTAIL['WEBHOOKS'][{number}]"
        if not isinstance(endpoint, dict) or not str(endpoint.get("URL", "")).startswith(
            ("http://", "https://")
        ):
            errors.append(
                Error(f'{where} needs a "URL" starting with http:// or https://.', id="mmm_wagtail.E006")
            )
            continue
        try:
            secret_bytes(endpoint.get("SECRET"))
        except ValueError:
            # Never echo the secret: it would end up in logs.
            errors.append(
                Error(
                    f"{where}['SECRET'] is not a Standard Webhooks secret.",
                    hint='Use "whsec_" followed by base64, e.g. "whsec_" + base64 of 32 random bytes.',
                    id="mmm_wagtail.E006",
                )
            )
        unknown = sorted(set(endpoint.get("EVENTS") or ()) - set(EVENTS))
        if unknown:
            errors.append(
                Error(
                    f"{where}['EVENTS'] has unknown events: {', '.join(unknown)}.",
                    hint=f"Known events: {', '.join(EVENTS)}.",
                    id="mmm_wagtail.E006",
                )
            )
    return errors


@register(Tags.caches)
def check_shared_cache(app_configs, **kwargs):
    """Django's default cache (what ``wagtail start`` leaves) is per process: still fresh
    (versions live in the database), but every worker builds and holds its own copy."""
    alias = conf.get("CACHE_ALIAS")
    if settings.DEBUG or alias is None or alias not in settings.CACHES:
        return []
    backend = settings.CACHES[alias].get("BACKEND", "")
    if backend != "django.core.cache.backends.locmem.LocMemCache":
        return []
    return [
        Warning(
            f"MMM_WAGTAIL['CACHE_ALIAS'] ({alias!r}) is Django's in-memory cache and DEBUG is False: "
            "each worker process keeps its own copy of every API response.",
            hint="Configure a shared cache (Redis) in CACHES, or set MMM_WAGTAIL['CACHE_ALIAS'] to None; "
            "see docs/caching.md.",
            id="mmm_wagtail.W001",
        )
    ]


SUPPORTED_VENDORS = ("sqlite", "postgresql")


@register(Tags.compatibility)
def check_database(app_configs, **kwargs):
    """The API binds lists of ids in SQL the way SQLite and PostgreSQL take them (``statements``)."""
    vendor = connections[DEFAULT_DB_ALIAS].vendor  # the backend's class attribute: no connection
    if vendor in SUPPORTED_VENDORS:
        return []
    return [
        Error(
            f"mmm_wagtail supports SQLite and PostgreSQL; the default database is {vendor}.",
            hint="Use django.db.backends.sqlite3 or django.db.backends.postgresql.",
            id="mmm_wagtail.E005",
        )
    ]


@register(Tags.database)
def check_search_configs(app_configs, databases=None, **kwargs):
    """Every text search configuration the news search uses exists in each PostgreSQL database
    checked (``migrate`` and ``check --database`` run this; it needs a connection)."""
    from .textsearch import available_configs, config_for

    errors = []
    configured = conf.get("SEARCH_CONFIGS")
    if not isinstance(configured, dict):
        return []  # check_settings names that mistake
    content = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or settings.LANGUAGES
    languages = {code for code, _name in content} | set(configured)
    for alias in databases or ():
        if connections[alias].vendor != "postgresql":
            continue
        available = available_configs(alias)
        for code in sorted(languages):
            name = config_for(code)
            if name.split(".")[-1] not in available:
                errors.append(
                    Error(
                        f"The text search configuration {name!r} for language {code!r} does not exist "
                        f"in database {alias!r}.",
                        hint="Create it, or map the language to another in MMM_WAGTAIL['SEARCH_CONFIGS'].",
                        id="mmm_wagtail.E007",
                    )
                )
    return errors


@register(Tags.templates)
def check_base_template(app_configs, **kwargs):
    """The package's pages extend the site's layout: a missing one would be a 500 on every page."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    name = conf.get("BASE_TEMPLATE")
    if not isinstance(name, str) or not name:
        message = f"MMM_WAGTAIL['BASE_TEMPLATE'] must be a template name; got {name!r}."
        return [Error(message, id="mmm_wagtail.E003")]
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return [
            Error(
                f"MMM_WAGTAIL['BASE_TEMPLATE'] is {name!r}, which no template folder holds.",
                hint=(
                    "Name your site's layout (it needs the blocks extra_css and content, as the base.html "
                    "of `wagtail start`), or use the package's own page: "
                    "MMM_WAGTAIL = {'BASE_TEMPLATE': 'mmm_wagtail/standalone.html'}."
                ),
                id="mmm_wagtail.E020",
            )
        ]
    return []


# The URLs a site must serve: the feeds (pages and API payloads link to them) and, when the API is mounted on
# its own, one of its endpoints. Reversed then resolved, so the check sees what a request would reach.
URL_PROBES = [
    ("mmm_wagtail_feed_rss", {"slug": "news"}, True),
    ("mmm_wagtail_delegation_rss", {"pk": 1}, True),
    # Not required: a site may mount the API inside Wagtail 8's API v3 instead (api/wagtail_v3.py).
    ("mmm_wagtail_api:mmm_news_list", {}, False),
]
INCLUDE = 'path("api/mmm/", include("mmm_wagtail.urls"))'


@register(Tags.urls)
def check_urls(app_configs, **kwargs):
    """The package's URLs are included, and reach the package's views rather than Wagtail's catch-all."""
    from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse
    from django.utils import translation

    try:
        get_resolver().url_patterns  # noqa: B018 - imports the URLconf
    except Exception:  # Django's own URL checks report a URLconf that does not import
        return []
    errors = []
    with translation.override(settings.LANGUAGE_CODE):
        for name, kwargs_, required in URL_PROBES:
            try:
                url = reverse(name, kwargs=kwargs_)
            except NoReverseMatch:
                if required:
                    errors.append(
                        Error(
                            "The URLs of mmm_wagtail are not included: its feeds, and the links to them in "
                            "pages and API responses, would be 404s.",
                            hint=f"Add {INCLUDE} to your ROOT_URLCONF's urlpatterns, before Wagtail's "
                            'catch-all path("", include(wagtail_urls)).',
                            id="mmm_wagtail.E021",
                        )
                    )
                    break
                continue
            try:
                match = resolve(url)
            except Resolver404:
                match = None
            if match is None or match.view_name != name:
                reached = match.view_name if match else "nothing"
                errors.append(
                    Error(
                        f"{url} reaches {reached}, not mmm_wagtail: its URL include comes after a pattern "
                        "that takes its addresses, such as Wagtail's catch-all page route.",
                        hint=f'Move {INCLUDE} above path("", include(wagtail_urls)) in your urlpatterns.',
                        id="mmm_wagtail.E022",
                    )
                )
                break
    return errors


@register(Tags.compatibility)
def check_wagtail_localize(app_configs, **kwargs):
    from django.apps import apps

    if apps.is_installed("wagtail_localize"):
        return []
    return [
        Error(
            "mmm_wagtail needs wagtail_localize in INSTALLED_APPS: every model of the package is "
            "translatable, even on a one-language site.",
            hint='Add "wagtail_localize" to INSTALLED_APPS (and, for a multilingual site, replace '
            '"wagtail.locales" with "wagtail_localize.locales"). See docs/installation.md.',
            id="mmm_wagtail.E023",
        )
    ]


# Hosts that are this machine: a default Site on localhost:80 is right for them.
LOCAL_HOSTS = {"*", "localhost", "127.0.0.1", "[::1]", "testserver"}


@register("sites")
def check_default_site(app_configs, **kwargs):
    """Every absolute URL of the API and the feeds comes from the default Site: still Wagtail's
    ``localhost:80`` while ``ALLOWED_HOSTS`` names real hosts, they would all be ``http://localhost/``.

    Reads the database, so it copes with a database that has no tables yet (before ``migrate``)."""
    hosts = sorted(
        host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS and not host.endswith(".localhost")
    )
    if not hosts:
        return []
    from django.db import DatabaseError
    from wagtail.models import Site

    try:
        default = Site.objects.filter(is_default_site=True).values_list("hostname", "port").first()
    except DatabaseError:  # no tables yet (OperationalError, ProgrammingError), or no database
        return []
    if default != ("localhost", 80):
        return []
    return [
        Warning(
            f"The default Wagtail Site is still localhost:80 while ALLOWED_HOSTS names {', '.join(hosts)}: "
            "the API's and the feeds' absolute URLs would be http://localhost/….",
            hint="Set the Site's hostname and port (admin: Settings → Sites; docs/installation.md, "
            "“Your site's address”).",
            id="mmm_wagtail.W003",
        )
    ]
