import os

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Site

from tests import db_snapshot, db_template


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's, from a migrated template (tests/db_template.py) rather than each
    worker migrating."""
    verbosity = request.config.option.verbose
    serialized = {"default"} if any(_serialized_rollback(item) for item in request.session.items) else set()
    with django_db_blocker.unblock():
        template, config = db_template.setup(verbosity, serialized)
    yield
    with django_db_blocker.unblock():
        db_template.teardown(template, config, verbosity)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "site_process: runs a test site's manage.py steps in processes of its own, without the test"
        " database (started first: see pytest_collection_modifyitems)",
    )


def pytest_sessionstart(session):
    """``--create-db``: the templates go before any worker starts (the first worker builds anew)."""
    if session.config.getvalue("create_db") and not hasattr(session.config, "workerinput"):
        from django.conf import settings

        db_template.forget(settings.DATABASES["default"])


def _serialized_rollback(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("serialized_rollback")) or (
        "django_db_serialized_rollback" in getattr(item, "fixturenames", ())
    )


@pytest.fixture(autouse=True)
def _empty_response_cache():
    # Each test rolls the database back, content versions included (mmm_wagtail.cache):
    # a response cached by an earlier test could carry a version this test reuses.
    from django.core.cache import cache

    from mmm_wagtail.cache import hosts, responses, versions

    cache.clear()
    responses.forget_local_copies()
    versions.forget_schedule()
    # Likewise the Site remembered per host: its stamp is a version this test may reuse.
    hosts.forget()


@pytest.fixture(autouse=True)
def _no_active_language_left():
    # A request through LocaleMiddleware activates its language in the thread and nothing
    # deactivates it: the next test would run in it.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def home(db):
    """The default site's root page (created by Wagtail's migrations), in French."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def locale_fr(db):
    return Locale.objects.get(language_code="fr")


@pytest.fixture
def locale_en(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup, django_db_blocker):
    """The rows ``load_demo_content --no-translations`` writes, loaded once per worker."""
    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(
            lambda: call_command("load_demo_content", "--no-translations", verbosity=0, stdout=None)
        )


@pytest.fixture(scope="session")
def _demo_multilingual_rows(django_db_setup, django_db_blocker):
    """The rows ``load_demo_content`` writes (French and the English translation), once per worker."""
    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(lambda: call_command("load_demo_content", verbosity=0, stdout=None))


@pytest.fixture
def demo(db, _demo_rows):
    """The French demo content, as the management command loads it (written back from a
    snapshot of its rows: tests/db_snapshot.py); returns the landing page."""
    from mmm_wagtail.models import DelegationIndexPage

    _demo_rows.restore()
    return DelegationIndexPage.objects.get(slug="delegations")


@pytest.fixture
def demo_multilingual(db, _demo_multilingual_rows):
    """The whole demo: French content and its English translation (from a snapshot, as
    ``demo``); returns the French landing page."""
    from mmm_wagtail.models import DelegationIndexPage

    _demo_multilingual_rows.restore()
    return DelegationIndexPage.objects.get(slug="delegations", locale__language_code="fr")


@pytest.fixture(scope="session")
def redis_url():
    """``REDIS_URL``, a Redis database the tests may write to (CI sets it). Without it the test
    skips, except under ``MMM_REQUIRE_SERVICES=1`` (CI), where it fails: nothing is probed."""
    return _service_url("REDIS_URL", "a Redis database the tests may write to, e.g. redis://127.0.0.1:6379/9")


def _service_url(variable, what):
    url = os.environ.get(variable)
    if url:
        return url
    if os.environ.get("MMM_REQUIRE_SERVICES") == "1":
        pytest.fail(f"MMM_REQUIRE_SERVICES=1 and {variable} is not set: set it to {what}")
    pytest.skip(f"set {variable} to {what}")


def admin_in_english(user):
    """Tests read the admin's English strings; the French admin has its own tests
    (test_i18n_strings.py, browser tests). The site's default language is French."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(admin_in_english(user))
    return client


def pytest_collection_modifyitems(config, items):
    """Browser tests skip without Chromium, except in CI (MMM_REQUIRE_BROWSER=1) where they must run.

    The tests that run a site of their own in other processes (marker ``site_process``, 3-30 s
    each, none using the test database) go first: pytest-django puts tests without the database
    last, and xdist hands out the last tests two by two, so one of them ended the run alone while
    the other worker had finished. pytest-django's own order of the rest is kept (it sorts first)."""
    import shutil

    items[:] = sorted(items, key=lambda item: item.get_closest_marker("site_process") is None)
    if shutil.which("chromium") or os.environ.get("MMM_REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason="no /usr/bin/chromium (apt-get install -y chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
