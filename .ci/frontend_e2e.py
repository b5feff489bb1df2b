"""The Next.js frontend (example_project/frontend-next) against the example site, in Debian's
Chromium through Playwright: run by .ci/frontend.sh with both servers up.

Content changes (a news item with every block type, a preview of an unsaved edit, a
publish) are made here through Wagtail's models, in the database the example site serves:
their signals send the signed webhooks the running `next start` revalidates from.
Screenshots go to $ARTIFACTS.
"""

import json
import os
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "example_project"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain sync code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402
from wagtail.documents import get_document_model  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.images.tests.utils import get_test_image_file  # noqa: E402
from wagtail.models import Site  # noqa: E402

from mmm_wagtail.api.schemas.blocks import BLOCK_TYPES  # noqa: E402
from mmm_wagtail.models import DelegationPage, NewsFeed, NewsPage  # noqa: E402
from mmm_wagtail.preview.models import PreviewState  # noqa: E402
from mmm_wagtail.preview.modes import client_url, preview_url  # noqa: E402
from mmm_wagtail.preview.tokens import issue  # noqa: E402

NEXT = os.environ["NEXT_URL"].rstrip("/")
API = os.environ["MMM_API_URL"]
ARTIFACTS = Path(os.environ.get("ARTIFACTS", ROOT / "artifacts"))
ARTIFACTS.mkdir(parents=True, exist_ok=True)


def api(path):
    with urllib.request.urlopen(API + path) as response:
        return json.load(response)


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"next-{name}.png"), full_page=True)


def eventually(check, seconds=20):
    """``check()`` until it passes: a revalidated page is rebuilt on a later request."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def landing(page):
    data = api("pages/find/?path=/fr/delegations/")
    page.goto(NEXT + "/")
    assert page.url == NEXT + "/fr/delegations/", page.url
    expect(page.locator("h1")).to_have_text(data["title"])
    sections = page.locator("section.delegation")
    assert sections.count() == len(data["delegations"]) == 3
    assert [sections.nth(i).get_attribute("data-acronym") for i in range(3)] == [
        d["acronym"] for d in data["delegations"]
    ]
    feed = page.locator(f'section.feed[data-slug="{data["news_feed"]["slug"]}"] .card')
    assert feed.count() == len(data["news_feed"]["items"]) == 6
    assert [feed.nth(i).locator("time").inner_text() for i in range(6)] == [
        item["date_display"] for item in data["news_feed"]["items"]
    ]
    assert page.locator('link[rel="alternate"][hreflang="en"]').count() == 1
    shot(page, "landing-fr")


def language_switch(page):
    page.goto(NEXT + "/fr/delegations/")
    page.locator('nav.languages a[hreflang="en"]').click()
    page.wait_for_url(NEXT + "/en/delegations/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text(api("pages/find/?path=/en/delegations/")["title"])
    shot(page, "landing-en")


def every_block():
    eu = DelegationPage.objects.get(slug="union-europeenne", locale__language_code="fr")
    image = get_image_model().objects.first() or get_image_model().objects.create(
        title="CI", file=get_test_image_file(size=(1200, 800))
    )
    document = get_document_model().objects.create(
        title="Rapport CI", file=ContentFile(b"CI", name="rapport-ci.txt")
    )
    feed = NewsFeed.objects.filter(locale__language_code="fr").first()
    body = [
        {
            "type": "paragraph",
            "value": (
                f'<p>Un paragraphe <b>riche</b>, vers <a linktype="page" id="{eu.pk}">la délégation</a>.</p>'
            ),
        },
        {"type": "heading", "value": {"text": "Un intertitre", "level": "h2"}},
        {"type": "image", "value": {"image": image.pk, "alt_text": "Une image", "caption": "Légende"}},
        {"type": "quote", "value": {"quote": "Une citation.", "attribution": "Quelqu’un"}},
        {"type": "embed", "value": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
        {"type": "document", "value": {"document": document.pk, "title": "Le rapport"}},
        {"type": "call_to_action", "value": {"text": "Voir la délégation", "page": eu.pk, "url": ""}},
        {"type": "news_feed", "value": {"feed": feed.pk, "heading": "Fil d’actualité"}},
    ]
    assert {block["type"] for block in body} == set(BLOCK_TYPES)
    news = eu.add_child(
        instance=NewsPage(
            title="Tous les blocs",
            slug="journée-tous-les-blocs",
            date=timezone.now().date(),
            body=json.dumps(body),
        )
    )
    news.save_revision().publish()
    return news


def news_with_every_block(page, news):
    path = "/fr/delegations/union-europeenne/journ%C3%A9e-tous-les-blocs/"

    def shown():
        response = page.goto(NEXT + path)
        assert response.status == 200, response.status

    eventually(shown)  # published after the build: rendered on its first request
    for block_type in BLOCK_TYPES:
        assert page.locator(f'[data-block-type="{block_type}"]').count() == 1, block_type
    assert page.locator("figure.figure img").get_attribute("srcset")
    # Rich text drawn from its Portable Text by @portabletext/react: marks, and a page link as a route here.
    paragraph = page.locator('[data-block-type="paragraph"]')
    assert paragraph.locator("strong").inner_text() == "riche"
    link = paragraph.get_by_role("link", name="la délégation")
    assert link.get_attribute("href") == "/fr/delegations/union-europeenne/", link.get_attribute("href")
    shot(page, "news-every-block")


def sitemap(page):
    response = page.request.get(NEXT + "/sitemap.xml")
    assert response.status == 200
    text = response.text()
    assert f"<loc>{NEXT}/fr/delegations/</loc>" in text
    assert f'hreflang="en" href="{NEXT}/en/delegations/"' in text
    assert "journ%C3%A9e-tous-les-blocs" in text  # the publish after the build, accented slug encoded once


def redirect(page):
    found = api("redirects/")["items"]
    assert found, "the demo has redirects (translated slugs)"
    first = next(item for item in found if item["location"].startswith("/"))
    response = page.request.get(NEXT + first["old_path"] + "/", max_redirects=0)
    expected = (301, 308) if first["is_permanent"] else (302, 307)
    assert response.status in expected, response.status
    assert response.headers["location"].endswith(first["location"]), response.headers


def preview(page):
    news = NewsPage.objects.get(slug="soutien-aux-enfants-et-aux-familles-en-europe")
    news.title = "Brouillon jamais enregistré"
    url = preview_url(
        client_url(Site.objects.get(is_default_site=True)), news, issue(PreviewState.capture(news))
    )
    assert url.startswith(NEXT + "/api/preview/"), url
    page.goto(url)
    page.wait_for_url(NEXT + "/fr/preview/")
    expect(page.locator("h1")).to_have_text("Brouillon jamais enregistré")
    shot(page, "preview")
    page.context.clear_cookies()
    page.goto(NEXT + "/fr/delegations/union-europeenne/soutien-aux-enfants-et-aux-familles-en-europe/")
    expect(page.locator("h1")).not_to_have_text("Brouillon jamais enregistré")


def unsigned_webhook_refused(page):
    body = '{"type": "page.published", "data": {"tags": ["mmm"], "page_paths": [], "everything": true}}'
    headers = {
        "webhook-id": "msg_x",
        "webhook-timestamp": str(int(time.time())),
        "webhook-signature": "v1,AAAA",
    }
    response = page.request.post(NEXT + "/api/revalidate/", data=body, headers=headers)
    assert response.status == 401, response.status


def publish_revalidates(page):
    news = NewsPage.objects.get(slug="soutien-aux-enfants-et-aux-familles-en-europe")
    new_title = "Publié sans reconstruire"
    news.title = new_title
    news.save_revision().publish()

    def landing_shows_it():
        page.goto(NEXT + "/fr/delegations/")
        assert page.locator(f'.card__title:text-is("{new_title}")').count() >= 1

    def article_shows_it():
        # Each change is its own delivery (webhooks/delivery.py): the landing being fresh says
        # nothing of when the article's revalidation arrives, so it is waited for the same way.
        page.goto(NEXT + "/fr/delegations/union-europeenne/soutien-aux-enfants-et-aux-familles-en-europe/")
        assert page.locator("h1").inner_text().strip() == new_title, page.locator("h1").inner_text()

    eventually(landing_shows_it)
    eventually(article_shows_it)
    shot(page, "after-publish")


def not_found(page):
    response = page.goto(NEXT + "/fr/pas-de-page-ici/")
    assert response.status == 404
    shot(page, "404")


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for step in (landing, language_switch):
            step(page)
            print("ok", step.__name__)
        news_with_every_block(page, every_block())
        print("ok news_with_every_block")
        for step in (sitemap, redirect, preview, unsigned_webhook_refused, publish_revalidates, not_found):
            step(page)
            print("ok", step.__name__)
        browser.close()


if __name__ == "__main__":
    main()
