import pytest
from django.db import connection
from django.test import override_settings

from mmm_wagtail import conf
from mmm_wagtail.checks import check_database, check_settings


def ids(errors):
    return sorted(error.id for error in errors)


def test_defaults_pass():
    assert check_settings(None) == []
    assert check_database(None) == []


def test_an_unsupported_database_is_reported(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")
    (error,) = check_database(None)
    assert error.id == "mmm_wagtail.E005" and "mysql" in error.msg


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"API_MAX_LIMIT": 0}, ["mmm_wagtail.E003"]),
        ({"API_DEFAULT_LIMIT": 500}, ["mmm_wagtail.E003"]),
        ({"TEASER_LENGTH": "200"}, ["mmm_wagtail.E003"]),
        ({"CACHE_S_MAXAGE": -1}, ["mmm_wagtail.E003"]),
        ({"DELEGATION_PAGE_NEWS": 0}, ["mmm_wagtail.E003"]),
        ({"DELEGATION_FEED_ITEMS": "20"}, ["mmm_wagtail.E003"]),
        ({"SITES_TIMEOUT": 300}, ["mmm_wagtail.W004"]),  # no longer read: a warning, not an error
        ({"MAX_STATEMENTS": -5}, ["mmm_wagtail.E003"]),
        ({"CACHE_LOCAL_ENTRIES": -1}, ["mmm_wagtail.E003"]),
        ({"CACHE_LOCAL_ENTRIES": "256"}, ["mmm_wagtail.E003"]),
        ({"DATE_FORMATS": {"fr": "d.m.y"}}, ["mmm_wagtail.E003"]),
        ({"UNTRANSLATED": "show"}, ["mmm_wagtail.E003"]),
        ({"PUBLISH_NEW_TRANSLATIONS": "yes"}, ["mmm_wagtail.E003"]),
        ({"CACHE_ALIAS": "nope"}, ["mmm_wagtail.E003"]),
        ({"PREVIEW_TOKEN_MAX_AGE": 0}, ["mmm_wagtail.E003"]),
        ({"PREVIEW_CLIENT_URLS": ["http://localhost:3000/preview"]}, ["mmm_wagtail.E003"]),
        ({"PREVIEW_CLIENT_URLS": {"default": None}}, ["mmm_wagtail.E003"]),
        ({"RENDITIONS": {"thumb": "fill-abc"}}, ["mmm_wagtail.E004"]),
        ({"API_MAX_LIMT": 10}, ["mmm_wagtail.E002"]),
        ({"SEARCH_CONFIGS": ["french"]}, ["mmm_wagtail.E003"]),
        ({"SEARCH_CONFIGS": {"fr": ""}}, ["mmm_wagtail.E003"]),
    ],
)
def test_bad_values_are_reported(value, expected):
    with override_settings(MMM_WAGTAIL=value):
        assert ids(check_settings(None)) == expected


def test_settings_reload_on_override():
    assert conf.get("API_MAX_LIMIT") == 100
    with override_settings(MMM_WAGTAIL={"API_MAX_LIMIT": 7}):
        assert conf.get("API_MAX_LIMIT") == 7
    assert conf.get("API_MAX_LIMIT") == 100


def test_a_memory_cache_in_production_is_a_warning(settings):
    from mmm_wagtail.checks import check_shared_cache

    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    (warning,) = check_shared_cache(None)
    assert warning.id == "mmm_wagtail.W001" and "docs/caching.md" in warning.hint
    settings.DEBUG = True
    assert check_shared_cache(None) == []
    settings.DEBUG = False
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    }
    assert check_shared_cache(None) == []
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert check_shared_cache(None) == []


@pytest.mark.parametrize("value", ["", "Cache-Tag: x", 3])
def test_a_bad_cache_tag_header_is_reported(value):
    with override_settings(MMM_WAGTAIL={"CACHE_TAG_HEADER": value}):
        assert ids(check_settings(None)) == ["mmm_wagtail.E003"]


def test_publish_new_translations_drives_wagtail_localize_from_ready():
    """``AppConfig.ready`` (not an import) sets wagtail-localize's switch from the setting."""
    from django.conf import settings

    assert settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE is False
    with override_settings(MMM_WAGTAIL={"PUBLISH_NEW_TRANSLATIONS": True}):
        assert settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE is True
    assert settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE is False


@pytest.mark.parametrize("switch, publish, expected", [(True, False, ["mmm_wagtail.W002"]), (True, True, [])])
def test_a_project_switch_contradicting_the_setting_is_a_warning(monkeypatch, switch, publish, expected):
    from mmm_wagtail import translating

    monkeypatch.setattr(translating, "_project_switch", switch)
    with override_settings(MMM_WAGTAIL={"PUBLISH_NEW_TRANSLATIONS": publish}):
        assert ids(check_settings(None)) == expected


def test_a_settings_list_is_reported_not_raised():
    with override_settings(MMM_WAGTAIL=["API_MAX_LIMIT", 7]):
        assert conf.get("API_MAX_LIMIT") == 100
        assert ids(check_settings(None)) == ["mmm_wagtail.E001"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="text search configurations are PostgreSQL's")
def test_a_missing_text_search_configuration_is_reported_by_the_database_check():
    from mmm_wagtail.checks import check_search_configs

    assert check_search_configs(None, databases=["default"]) == []
    with override_settings(MMM_WAGTAIL={"SEARCH_CONFIGS": {"fr": "klingon"}}):
        (error,) = check_search_configs(None, databases=["default"])
    assert error.id == "mmm_wagtail.E007" and "'klingon'" in error.msg and "'fr'" in error.msg
    # Without a database to check (a plain `manage.py check`), no query.
    assert check_search_configs(None, databases=None) == []


@pytest.mark.django_db
def test_default_site_still_localhost_while_allowed_hosts_name_others_warns():
    from wagtail.models import Site

    from mmm_wagtail.checks import check_default_site

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80
    site.save()
    with override_settings(ALLOWED_HOSTS=["www.example.org", "localhost"]):
        (warning,) = check_default_site(None)
        assert warning.id == "mmm_wagtail.W003" and "www.example.org" in warning.msg
        site.hostname, site.port = "www.example.org", 443
        site.save()
        assert check_default_site(None) == []
    with override_settings(ALLOWED_HOSTS=["localhost", "127.0.0.1", "*"]):
        site.hostname, site.port = "localhost", 80
        site.save()
        assert check_default_site(None) == []


def test_default_site_check_copes_with_no_tables(tmp_path):
    """``manage.py check`` on a database not migrated yet: no traceback, no warning."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    project = Path(__file__).resolve().parent.parent / "example_project"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "ALLOWED_HOSTS": "www.example.org",
        "DJANGO_SETTINGS_MODULE": "mysite.settings",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "W003" not in result.stdout + result.stderr
