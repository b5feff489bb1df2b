"""The package drops into an existing Wagtail site (issue 11)."""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.site_process import TEMPLATE_STEP

ROOT = Path(__file__).resolve().parent.parent


def _environ(settings, env, tmp_path):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_project")]),
        **(env or {}),
    }
    environ.pop("DATABASE_URL", None)
    if tmp_path is not None:
        environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    return environ


def manage(*args, settings="tests.siteapp.settings", env=None, tmp_path=None):
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=_environ(settings, env, tmp_path),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def manage_steps(*steps, settings="tests.siteapp.settings", env=None, tmp_path=None):
    """``manage(*step)`` for each step, in one process of the site (tests/site_process.py):
    one result per step, with its ``returncode``, ``stdout`` and ``stderr``."""
    process = subprocess.run(
        [sys.executable, "-m", "tests.site_process", json.dumps(steps)],
        env=_environ(settings, env, tmp_path),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    return [SimpleNamespace(**result) for result in json.loads(process.stdout)]


@pytest.mark.site_process
def test_installs_beside_a_site_app_with_its_own_news_and_delegation_pages(tmp_path):
    """Finding 2: Page.newspage and Tag.newspage_set clashed (fields.E304/E305)."""
    script = (
        "from wagtail.models import Page\n"
        "from tests.siteapp.models import NewsPage as Theirs\n"
        "from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsPage as Ours\n"
        "home = Page.objects.get(depth=2)\n"
        "theirs = home.add_child(instance=Theirs(title='Their news'))\n"
        "theirs.tags.add('education'); theirs.save()\n"
        "index = home.add_child(instance=DelegationIndexPage(title='Delegations'))\n"
        "delegation = index.add_child(instance=DelegationPage(title='UN', organisation='UN', acronym='UN',"
        " summary='s'))\n"
        "ours = delegation.add_child(instance=Ours(title='Our news'))\n"
        "ours.tags.add('education'); ours.save()\n"
        "assert Page.objects.get(pk=theirs.pk).specific.__class__ is Theirs\n"
        "assert Page.objects.get(pk=ours.pk).specific.__class__ is Ours\n"
        "assert list(Theirs.objects.filter(tags__name='education')) == [theirs]\n"
        "assert list(Ours.objects.filter(tags__name='education')) == [ours]\n"
        "print('ok')\n"
    )
    # migrate runs in full whenever a migration, the site app's models, the settings or the versions
    # of Django and Wagtail change, else its database comes from the last such run
    # (tests/site_process.py, TEMPLATE_STEP); CI's fresh-site job migrates such a site every time.
    check, migrate, shell = manage_steps(
        ["check"], [TEMPLATE_STEP, "--noinput", "-v", "0"], ["shell", "-c", script], tmp_path=tmp_path
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert migrate.returncode == 0, migrate.stderr
    assert shell.stdout.strip().endswith("ok"), shell.stderr


@pytest.mark.site_process
def test_the_example_site_checks_clean(tmp_path):
    result = manage("check", settings="tests.settings", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def url_errors(urlconf):
    from django.core.checks import run_checks
    from django.test import override_settings
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        with override_settings(ROOT_URLCONF=urlconf):
            return [e for e in run_checks(tags=["urls"]) if e.id.startswith("mmm_wagtail.")]
    finally:
        clear_url_caches()


def test_missing_url_include_is_a_check_error():
    """Finding 6: without the include, check was clean and /api/mmm/... were Wagtail 404s."""
    errors = url_errors("tests.urlconfs.missing")
    assert [e.id for e in errors] == ["mmm_wagtail.E021"]
    assert 'include("mmm_wagtail.urls")' in errors[0].hint


def test_url_include_after_wagtails_catch_all_is_a_check_error():
    """Finding 6: after Wagtail's catch-all, openapi.json answered and every endpoint was a 404."""
    errors = url_errors("tests.urlconfs.shadowed")
    assert [e.id for e in errors] == ["mmm_wagtail.E022"]
    assert "/api/mmm/feeds/news/rss/ reaches wagtail_serve" in errors[0].msg
    assert "above" in errors[0].hint


def test_url_include_before_the_catch_all_checks_clean():
    assert url_errors("tests.urlconfs.good") == []
    assert url_errors("mysite.urls") == []  # i18n_patterns for the pages


@pytest.mark.site_process
def test_missing_wagtail_localize_is_a_check_error_not_a_traceback(tmp_path):
    """Finding 7: every command died with a RuntimeError from localization.py (now translating.py)."""
    result = manage("check", settings="tests.nolocalize_settings", tmp_path=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "mmm_wagtail.E023" in output
    assert "Traceback" not in output


ADMIN_MENUS = (
    "from django.test import Client\n"
    "from django.contrib.auth.models import User\n"
    "from wagtail.snippets.models import get_snippet_models\n"
    "user = User.objects.create_superuser('admin', 'a@example.com', 'pw')\n"
    "client = Client(); client.force_login(user)\n"
    "html = client.get('/admin/').content.decode()\n"
    "from django.urls import reverse\n"
    "print('report:', reverse('wagtail_localize:translations_report') in html)\n"
    "print('snippet:', any(m._meta.model_name == 'tagtranslation' for m in get_snippet_models()))\n"
)


@pytest.mark.site_process
def test_translation_menus_only_with_several_content_languages(tmp_path):
    """Finding 10: a one-language site showed "Translations" and "Tag translations"."""
    # The menus, not the migrations, are this test's subject: the site's migrated database comes
    # from its template after the first run (tests/site_process.py, TEMPLATE_STEP).
    migrate, result = manage_steps(
        [TEMPLATE_STEP, "--noinput", "-v", "0"],
        ["shell", "-c", ADMIN_MENUS],
        settings="tests.onelanguage_settings",
        tmp_path=tmp_path,
    )
    assert migrate.returncode == 0, migrate.stderr
    assert "report: False" in result.stdout and "snippet: False" in result.stdout, result.stderr


def test_translation_menus_on_a_multilingual_site(admin_client):
    from django.urls import reverse
    from wagtail.snippets.models import get_snippet_models

    html = admin_client.get("/admin/").content.decode()
    assert reverse("wagtail_localize:translations_report") in html
    assert any(model._meta.model_name == "tagtranslation" for model in get_snippet_models())


@pytest.mark.django_db
def test_migrate_creates_a_missing_default_locale(admin_client):
    """Finding 3: a LANGUAGE_CODE without its Locale gave Locale.DoesNotExist (500) in the feeds admin."""
    from django.apps import apps
    from django.db.models.signals import post_migrate
    from django.test import override_settings
    from wagtail.models import Locale

    from mmm_wagtail.models import NewsFeed

    english = {"LANGUAGE_CODE": "en", "LANGUAGES": [("en", "English")]}
    english["WAGTAIL_CONTENT_LANGUAGES"] = english["LANGUAGES"]
    Locale.objects.filter(language_code="en").delete()
    with override_settings(**english):
        with pytest.raises(Locale.DoesNotExist):
            NewsFeed.objects.create(title="News", slug="news")
        config = apps.get_app_config("mmm_wagtail")
        post_migrate.send(sender=config, app_config=config, verbosity=0, interactive=False, using="default")
        assert NewsFeed.objects.create(title="News", slug="news").locale.language_code == "en"
        assert admin_client.get("/admin/snippets/mmm_wagtail/newsfeed/add/").status_code == 200


def test_uninstall_command_lists_then_removes_the_packages_content(demo_multilingual):
    """Finding 9: migrate mmm_wagtail zero left pages whose admin edit was a 500 and stale content types."""
    from io import StringIO

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from wagtail.models import Page, Revision
    from wagtail_localize.models import TranslationSource

    from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage, TagTranslation

    ours = list(
        ContentType.objects.get_for_models(DelegationIndexPage, DelegationPage, NewsPage, NewsFeed).values()
    )
    before = Page.objects.filter(content_type__in=ours).count()
    assert before > 10 and NewsFeed.objects.exists()
    out = StringIO()
    call_command("mmm_wagtail_uninstall", stdout=out)
    assert f"{before:6d} pages" in out.getvalue() and "Nothing deleted" in out.getvalue()
    assert Page.objects.filter(content_type__in=ours).count() == before

    other_pages = Page.objects.exclude(content_type__in=ours).count()
    call_command("mmm_wagtail_uninstall", "--delete", "--no-input", stdout=StringIO())
    assert not Page.objects.filter(content_type__in=ours).exists()
    assert Page.objects.count() == other_pages  # the home pages stay
    assert not NewsFeed.objects.exists() and not TagTranslation.objects.exists()
    assert not Revision.objects.filter(base_content_type__in=ours).exists()
    assert not TranslationSource.objects.filter(specific_content_type__in=ours).exists()
    assert Page.find_problems() == ([], [], [], [], [])


def test_requirements_admit_every_supported_django():
    """Finding 1: install_requires capped Django below 6.0, which wagtail start sites pin."""
    from configparser import ConfigParser

    from packaging.requirements import Requirement

    config = ConfigParser()
    config.read(ROOT / "setup.cfg")
    requirements = [Requirement(line) for line in config["options"]["install_requires"].split("\n") if line]
    django = next(r for r in requirements if r.name.lower() == "django")
    for version in ("5.2.8", "6.0.3", "6.1.3"):
        assert django.specifier.contains(version), (version, str(django.specifier))
