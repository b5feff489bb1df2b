import pytest
from django.core.management import call_command
from wagtail.models import Locale, Site


@pytest.fixture(autouse=True)
def _empty_response_cache():
    # Each test rolls the database back, content versions included (mmm_wagtail.cache):
    # a response cached by an earlier test could carry a version this test reuses.
    from django.core.cache import cache

    from mmm_wagtail.cache import versions

    cache.clear()
    versions.forget_schedule()


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


@pytest.fixture
def demo(db):
    """The French demo content, loaded through the management command; returns the landing page."""
    from mmm_wagtail.models import DelegationIndexPage

    call_command("load_demo_content", "--no-translations", verbosity=0, stdout=None)
    return DelegationIndexPage.objects.get(slug="delegations")


@pytest.fixture
def demo_multilingual(db):
    """The whole demo: French content and its English translation; returns the French landing page."""
    from mmm_wagtail.models import DelegationIndexPage

    call_command("load_demo_content", verbosity=0, stdout=None)
    return DelegationIndexPage.objects.get(slug="delegations", locale__language_code="fr")


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
    """Browser tests skip without Chromium, except in CI (MMM_REQUIRE_BROWSER=1) where they must run."""
    import os
    import shutil

    if shutil.which("chromium") or os.environ.get("MMM_REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason="no /usr/bin/chromium (apt-get install -y chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
