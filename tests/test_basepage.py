"""The page types on the site's page model: Wagtail's ``Page``, or on Wagtail 8 the site's own base page
model (``WAGTAIL_PAGE_MODEL``, tests/basepage), as Wagtail's guide for reusable apps asks (issue 21)."""

import pytest
import wagtail.models

from mmm_wagtail.basepage import PAGE_MODEL, Page
from mmm_wagtail.models import PAGE_TYPES
from tests.site_process import TEMPLATE_STEP
from tests.test_dropin import manage_steps

SETTINGS = "tests.basepage.settings"
wagtail_8 = pytest.mark.skipif(wagtail.VERSION < (8, 0), reason="Wagtail 8 made the page model swappable")


def test_without_the_setting_the_page_types_are_wagtail_pages_as_before():
    """Wagtail 7.4, and Wagtail 8 without WAGTAIL_PAGE_MODEL: the tables and migrations of before."""
    assert Page is wagtail.models.Page
    assert PAGE_MODEL == "wagtailcore.Page"
    for model in PAGE_TYPES:
        assert model._meta.parents == {Page: model._meta.get_field("page_ptr")}


# Run in a site whose page model is tests.basepage's BasePage: the package's page types subclass it,
# every query goes through it (wagtail.models.Page has no manager there), and the API serves the pages.
SCRIPT = """
import wagtail.models
from django.test import Client
from wagtail.models import Site
from mmm_wagtail.basepage import Page
from mmm_wagtail.models import PAGE_TYPES, DelegationIndexPage, DelegationPage, NewsPage
from tests.basepage.models import BasePage

assert Page is BasePage
for model in PAGE_TYPES:
    assert list(model._meta.parents) == [BasePage], model._meta.parents
    assert model._meta.parents[BasePage].name == "page_ptr"
try:
    wagtail.models.Page.objects
except AttributeError:
    pass
else:
    raise AssertionError("wagtail.models.Page is not swapped out")

home = Site.objects.get(is_default_site=True).root_page
landing = home.add_child(instance=DelegationIndexPage(title="Delegations", slug="delegations"))
un = landing.add_child(
    instance=DelegationPage(
        title="United Nations", organisation="United Nations", acronym="UN", summary="s", category="advocacy"
    )
)
news = un.add_child(instance=NewsPage(title="Right to education", excerpt="MMM spoke in Geneva."))
news.tags.add("education")
news.save_revision().publish()
un.add_child(instance=NewsPage(title="Unpublished news", live=False))
assert BasePage.objects.type(NewsPage).count() == 2
assert BasePage.objects.get(pk=un.pk).category == "advocacy"

client = Client()
for url, text in [
    ("/api/mmm/news/", "Right to education"),
    (f"/api/mmm/news/{news.pk}/", "MMM spoke in Geneva."),
    ("/api/mmm/delegations/", "Right to education"),
    (f"/api/mmm/delegations/{un.pk}/", "United Nations"),
    (f"/api/mmm/pages/find/?path={news.url}", "Right to education"),
    (f"/api/mmm/delegations/{un.pk}/rss/", "Right to education"),
    ("/api/mmm/news/?tag=education", "Right to education"),
    (landing.url, "Right to education"),
    (news.url, "MMM spoke in Geneva."),
]:
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and text in body, (url, response.status_code, body[:300])
    assert "Unpublished news" not in body, url
print("ok")
"""


@wagtail_8
@pytest.mark.site_process
def test_a_site_with_its_own_base_page_model_migrates_and_serves_the_api(tmp_path):
    check, migrate, makemigrations, shell = manage_steps(
        ["check", "--fail-level", "ERROR"],
        # In full whenever a migration, the base page model, the settings or the versions change,
        # else from the last such run (tests/site_process.py, TEMPLATE_STEP); CI's fresh-site job
        # (--custom-base-page) migrates such a site every time.
        [TEMPLATE_STEP, "--noinput", "-v", "0"],
        ["makemigrations", "--check", "--dry-run"],
        ["shell", "-c", SCRIPT],
        settings=SETTINGS,
        tmp_path=tmp_path,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert migrate.returncode == 0, migrate.stderr
    # The migrations name the page model through swapper: nothing to add on such a site either.
    assert makemigrations.returncode == 0, makemigrations.stdout + makemigrations.stderr
    assert shell.stdout.strip().endswith("ok"), shell.stdout + shell.stderr
