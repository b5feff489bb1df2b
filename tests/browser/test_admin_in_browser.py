"""An editor works in the Wagtail admin, in a real browser."""

import re

from playwright.sync_api import expect
from wagtail.models import Site

from demo import seed
from mmm_wagtail.models import DelegationPage, NewsPage

from .support import BROWSER_TEST, log_in

pytestmark = BROWSER_TEST

DELEGATION_TITLES = [d["title"] for d in seed.DELEGATIONS]


def explore_children_of(page, title):
    """Clicks the "explore child pages" arrow of the explorer row showing ``title``."""
    page.get_by_role("row").filter(has_text=title).locator("td.children a").click()


def listed_titles(page):
    return [text.strip() for text in page.locator("td.title [id^=page_][id$=_title]").all_inner_texts()]


def test_editor_renames_and_publishes_a_news_item(page, live_server, live_demo, make_editor, screenshot_dir):
    editor = make_editor("camille", "fr")
    home = Site.objects.get(is_default_site=True).root_page
    onu = DelegationPage.objects.get(slug="onu")
    news = NewsPage.objects.get(slug="du-local-au-mondial")
    new_title = "Du local au mondial : les mères au cœur des politiques de soins"

    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/pages/")
    explore_children_of(page, home.title)
    expect(page.locator("td.title").filter(has_text=live_demo.title)).to_have_count(1)

    explore_children_of(page, live_demo.title)
    page.wait_for_url(f"{live_server.url}/admin/pages/{live_demo.pk}/")
    expect(page.locator("td.title [id$=_title]")).to_have_count(3)
    assert sorted(listed_titles(page)) == sorted(DELEGATION_TITLES)

    explore_children_of(page, onu.title)
    page.wait_for_url(f"{live_server.url}/admin/pages/{onu.pk}/")
    expect(page.locator("td.title [id$=_title]")).to_have_count(NewsPage.objects.child_of(onu).count())
    assert news.title in listed_titles(page)
    page.screenshot(path=screenshot_dir / "admin-explorer-onu.png", full_page=True)

    page.locator("td.title a", has_text=news.title).click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{news.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(news.title)
    page.fill("#id_title", new_title)
    page.screenshot(path=screenshot_dir / "admin-edit-news.png", full_page=True)
    # "Publish" sits in the footer's drop-down, under "Save draft".
    page.locator("footer .w-dropdown__toggle").click()
    page.locator("footer button[name=action-publish]").click()

    page.wait_for_url(f"{live_server.url}/admin/pages/{onu.pk}/")
    expect(page.locator(".messages .success")).to_contain_text(new_title)
    assert new_title in listed_titles(page)

    news.refresh_from_db()
    assert (news.title, news.slug, news.live, news.has_unpublished_changes) == (
        new_title,
        "du-local-au-mondial",
        True,
        False,
    )
    page.goto(f"{live_server.url}/fr/delegations/onu/du-local-au-mondial/")
    expect(page.locator("h1")).to_have_text(new_title)
    expect(page).to_have_title(new_title)
    # The landing page lists it under its new title too.
    page.goto(f"{live_server.url}/fr/delegations/")
    onu_heading = page.get_by_role("heading", name=onu.title)
    onu_section = page.locator("section.mmm-delegation").filter(has=onu_heading)
    expect(onu_section.locator("article.mmm-card h3").first).to_have_text(new_title)


def test_admin_speaks_the_editors_language(page, live_server, live_demo, make_editor, screenshot_dir):
    """The same edit form, in English then in French: the labels come from the package's catalogue."""
    editor = make_editor("sam", "en")
    news = NewsPage.objects.get(slug="du-local-au-mondial")
    edit_url = f"{live_server.url}/admin/pages/{news.pk}/edit/"
    log_in(page, live_server, editor)

    page.goto(edit_url)
    form = page.locator("form#page-edit-form")
    expect(form.locator("label[for=id_dateline]")).to_have_text("Dateline")
    expect(form).to_contain_text("Where the news comes from")
    expect(form).to_contain_text("Topics and delegations")

    profile = editor.wagtail_userprofile
    profile.preferred_language = "fr"
    profile.save()
    page.goto(edit_url)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    labels = {
        "id_date": "Date",
        "id_dateline": "Provenance",
        "id_excerpt": "Extrait",
        "id_tags": "Mots-clés",
    }
    for field_id, label in labels.items():
        expect(form.locator(f"label[for={field_id}]")).to_have_text(re.compile(rf"^\s*{label}\*?\s*$"))
    expect(form).to_contain_text("D'où vient l'actualité, par ex. « ONU, Genève ».")
    expect(form).to_contain_text("Autres délégations concernées par cette actualité.")
    for heading in ("Date et lieu", "Thèmes et délégations", "Également affichée sous"):
        expect(form.get_by_text(heading, exact=True).first).to_be_visible()
    # The body's first block is a paragraph; its header shows the block's French label.
    expect(form.locator("[data-contentpath=body]")).to_contain_text("Paragraphe")
    expect(form).not_to_contain_text("Dateline")
    page.screenshot(path=screenshot_dir / "admin-edit-news-fr.png", full_page=True)
