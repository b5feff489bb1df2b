"""The public landing page, as a reader's browser renders it."""

from playwright.sync_api import expect

from demo import seed

from .support import BROWSER_TEST

pytestmark = BROWSER_TEST

NEWS = {item["slug"]: item for item in seed.NEWS}
# The seed page's order: each delegation with its two latest news (the UNESCO block also
# shows the ONU item related to it), then the combined feed, newest first.
SEED_BLOCKS = [
    (
        "MMM à l'Union européenne",
        ["mav-transformer-les-defis-de-la-maternite", "soutien-aux-enfants-et-aux-familles-en-europe"],
    ),
    (
        "MMM à l'ONU",
        ["du-local-au-mondial", "investir-dans-leducation-et-la-protection-de-la-petite-enfance"],
    ),
    (
        "MMM à l'UNESCO",
        ["leducation-des-filles-en-cote-divoire", "les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation"],
    ),
]
SEED_FEED = [
    "du-local-au-mondial",
    "mav-transformer-les-defis-de-la-maternite",
    "soutien-aux-enfants-et-aux-familles-en-europe",
    "investir-dans-leducation-et-la-protection-de-la-petite-enfance",
    "leducation-des-filles-en-cote-divoire",
    "les-voix-des-meres-au-conseil-des-droits-de-lhomme",
]


def cards(section):
    """(title, date as printed) of each news card of a section."""
    titles = section.locator("article.mmm-card h3").all_inner_texts()
    dates = section.locator("article.mmm-card time").all_inner_texts()
    return list(zip(titles, dates, strict=True))


def expected_cards(slugs):
    return [(NEWS[slug]["title"], NEWS[slug]["date"].strftime("%d.%m.%y")) for slug in slugs]


def test_landing_page_shows_the_delegations_and_their_news_in_the_seed_order(
    page, live_server, live_demo, screenshot_dir
):
    response = page.goto(f"{live_server.url}/fr/delegations/")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(seed.INDEX["title"])
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.screenshot(path=screenshot_dir / "landing-fr.png", full_page=True)

    sections = page.locator("section.mmm-delegation")
    expect(sections).to_have_count(3)
    assert sections.locator("h2").all_inner_texts() == [title for title, _ in SEED_BLOCKS]
    for index, (title, slugs) in enumerate(SEED_BLOCKS):
        assert cards(sections.nth(index)) == expected_cards(slugs), title
    europe = sections.nth(0)
    expect(europe.locator("h3").first).to_have_text("Actualité de la délégation Europe")
    expect(europe.get_by_role("link", name="Lire plus")).to_have_count(2)

    feed = page.locator("section.mmm-feed")
    expect(feed.locator("h2")).to_have_text(seed.FEED["title"])
    assert cards(feed) == expected_cards(SEED_FEED)
    # The mojibake of the current site must not come back.
    assert "Ã" not in page.locator("body").inner_text()

    # "Lire plus" leads to the news item itself.
    sections.nth(1).get_by_role("link", name="Lire plus").first.click()
    page.wait_for_url(f"{live_server.url}/fr/delegations/onu/du-local-au-mondial/")
    expect(page.locator("h1")).to_have_text(NEWS["du-local-au-mondial"]["title"])
    expect(page.locator(".mmm-dateline")).to_contain_text("ONU, Genève")
