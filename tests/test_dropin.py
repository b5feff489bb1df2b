"""The package drops into an existing Wagtail site (issue 11)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, settings="tests.siteapp.settings", env=None, tmp_path=None):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_project")]),
        **(env or {}),
    }
    environ.pop("DATABASE_URL", None)
    if tmp_path is not None:
        environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-m", "django", *args], env=environ, capture_output=True, text=True, cwd=tmp_path
    )


def test_installs_beside_a_site_app_with_its_own_news_and_delegation_pages(tmp_path):
    """Finding 2: Page.newspage and Tag.newspage_set clashed (fields.E304/E305)."""
    result = manage("check", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    result = manage("migrate", "--noinput", "-v", "0", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
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
    result = manage("shell", "-c", script, tmp_path=tmp_path)
    assert result.stdout.strip().endswith("ok"), result.stderr


def test_the_example_site_checks_clean(tmp_path):
    result = manage("check", "--fail-level", "WARNING", settings="tests.settings", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
