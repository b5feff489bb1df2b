"""The reference headless frontend (/frontend/): plain JavaScript rendering the section from the API alone."""

import itertools
from urllib.parse import urlsplit

from playwright.sync_api import expect

from .support import BROWSER_TEST

pytestmark = BROWSER_TEST

# The seed page, as its reader sees it: each delegation with its two latest news, then the
# combined feed, newest first (titles and dates as the seed prints them).
MAV = ("MAV : Transformer les Défis de la Maternité en Opportunités Professionnelles", "14.12.24")
SOUTIEN = (
    "Soutien aux enfants et aux familles en Europe : garantir aux familles les meilleurs soins possibles.",
    "05.12.24",
)
LOCAL = ("Du local au mondial: des solutions concrètes pour mieux soutenir les mères", "16.12.24")
INVESTIR = (
    "Investir dans l’éducation et la protection de la petite enfance pour la paix et la tolérance",
    "02.12.24",
)
FILLES = (
    "L’éducation des filles en Côte d’Ivoire : pierre angulaire du développement et de "
    "l’autonomisation des mères",
    "15.11.24",
)
EQUIPES = ("Les équipes MMM se mobilisent pour renforcer le droit à l’éducation", "19.06.24")
VOIX = ("Les voix des mères au Conseil des Droits de l’Homme", "07.10.24")

SEED_DELEGATIONS = [
    ("MMM à l'Union européenne", "Actualité de la délégation Europe", [MAV, SOUTIEN]),
    ("MMM à l'ONU", None, [LOCAL, INVESTIR]),
    ("MMM à l'UNESCO", "Actualité de l'équipe UNESCO", [FILLES, EQUIPES]),
]
SEED_FEED = [LOCAL, MAV, SOUTIEN, INVESTIR, FILLES, VOIX]


def cards(section):
    """(title, date as printed) of each news card of a section."""
    titles = [text.strip() for text in section.locator("article.card .card__title").all_inner_texts()]
    dates = section.locator("article.card time").all_inner_texts()
    return list(zip(titles, dates, strict=True))


def heading_levels(page):
    return page.locator("main").evaluate(
        "main => [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]))"
    )


def assert_headings_in_order(page):
    levels = heading_levels(page)
    assert levels.count(1) == 1 and levels[0] == 1, levels
    for previous, level in itertools.pairwise(levels):
        assert level <= previous + 1, f"heading level jumps from h{previous} to h{level}: {levels}"


def record_requests(page):
    """Paths of every request the tab makes (the document, scripts, styles, icons, fetches)."""
    paths = []
    page.on("request", lambda request: paths.append(urlsplit(request.url).path))
    return paths


def open_frontend(page, live_server, route=""):
    response = page.goto(f"{live_server.url}/frontend/{route}")
    assert response.status == 200
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")


def test_frontend_renders_the_seed_page_from_the_api_alone(
    page, live_server, live_demo_translated, screenshot_dir
):
    paths = record_requests(page)
    open_frontend(page, live_server)

    expect(page.locator("main h1")).to_have_text(
        "Les délégations de MMM auprès des Organisations Internationales"
    )
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title(
        "Les délégations de MMM auprès des Organisations Internationales — Make Mothers Matter"
    )
    expect(page.locator("main .hero")).to_contain_text(
        "A travers son travail de plaidoyer, Make Mothers Matter"
    )
    expect(page.locator("main .hero")).to_contain_text("où elle bénéficie du statut consultatif général.")

    sections = page.locator("section.delegation")
    expect(sections).to_have_count(3)
    for index, (title, news_heading, news) in enumerate(SEED_DELEGATIONS):
        section = sections.nth(index)
        expect(section.locator("h2")).to_have_text(title)
        if news_heading:
            expect(section.locator("h3")).to_have_text(news_heading)
        else:
            expect(section.locator(".delegation__news-heading")).to_have_count(0)
        assert cards(section) == news, title
        expect(section.get_by_role("link", name="Lire plus", exact=True)).to_have_count(2)
    expect(sections.nth(0)).to_contain_text("MMM influe sur les débats qui se tiennent au niveau européen")
    expect(sections.nth(0)).to_contain_text("Rapports de la Commission, débats au parlement européen")
    expect(sections.nth(1).locator(".card").first).to_contain_text("ONU, Genève – Le groupe de travail")

    feed = page.locator("section.feed")
    expect(feed.locator("h2")).to_have_text("L'actualité des délégations de MMM")
    assert cards(feed) == SEED_FEED
    expect(feed.get_by_role("link", name="Lire plus", exact=True)).to_have_count(6)

    body = page.locator("body").inner_text()
    assert "Ã" not in body  # the current site's mojibake must not come back
    assert_headings_in_order(page)
    for role in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.get_by_role("navigation", name="Langues")).to_be_visible()
    page.screenshot(path=screenshot_dir / "frontend-landing-desktop.png", full_page=True)

    # "Lire plus" opens the news item, rendered from the API too.
    sections.nth(1).get_by_role("link", name="Lire plus", exact=True).first.click()
    expect(page).to_have_url(f"{live_server.url}/frontend/#/fr/delegations/onu/du-local-au-mondial/")
    expect(page.locator("main h1")).to_have_text(LOCAL[0])
    expect(page.locator("main h1")).to_be_focused()
    expect(page.locator(".news__meta time")).to_have_text("16.12.24")
    expect(page.locator(".news__dateline")).to_have_text("ONU, Genève")
    expect(page.locator(".news__body")).to_contain_text(
        "Le groupe de travail sur la discrimination à l'égard des femmes et des filles"
    )
    assert page.locator(".news__tags li").all_inner_texts() == ["droits humains", "soins"]
    expect(page.get_by_role("navigation", name="Fil d’Ariane")).to_contain_text("MMM à l'ONU")
    assert_headings_in_order(page)
    page.screenshot(path=screenshot_dir / "frontend-news-desktop.png", full_page=True)

    # The breadcrumb leads to the delegation page.
    page.get_by_role("navigation", name="Fil d’Ariane").get_by_role("link", name="MMM à l'ONU").click()
    expect(page.locator("main h1")).to_have_text("MMM à l'ONU")
    expect(page.locator("main .organisation")).to_have_text("Organisation des Nations Unies")
    assert cards(page.locator("main")) == [LOCAL, INVESTIR]

    # The language switcher comes from the page's translations.
    page.get_by_role("navigation", name="Langues").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/frontend/#/en/delegations/un/")
    expect(page.locator("main h1")).to_have_text("MMM at the United Nations")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Delegations").click()
    expect(page.locator("main h1")).to_have_text("MMM's delegations to international organisations")
    expect(page.locator("section.delegation h2")).to_have_text(
        ["MMM at the European Union", "MMM at the United Nations", "MMM at UNESCO"]
    )
    expect(page.locator("section.feed h2")).to_have_text("News from MMM's delegations")
    # Dates follow the English DATE_FORMATS; untranslated news stay out of the English listings.
    expect(page.locator("section.feed article.card time").first).to_have_text("16 December 2024")
    expect(page.get_by_role("link", name="Read more", exact=True).first).to_be_visible()
    assert "Lire plus" not in page.locator("main").inner_text()
    expect(
        page.get_by_role("navigation", name="Languages").get_by_role("link", name="Français")
    ).to_have_attribute("href", "#/fr/delegations/")
    assert_headings_in_order(page)
    page.screenshot(path=screenshot_dir / "frontend-landing-en-desktop.png", full_page=True)

    # Everything came from the API, the images at the addresses it gives (the demo's are under /media/) and
    # the app's static files: no other request, no other host.
    assert any(path.startswith("/api/mmm/pages/find/") for path in paths)
    others = [
        path
        for path in paths
        if path != "/frontend/" and not path.startswith(("/api/mmm/", "/static/", "/media/images/"))
    ]
    assert others == []


def test_frontend_on_a_narrow_screen(page, live_server, live_demo, screenshot_dir):
    page.set_viewport_size({"width": 375, "height": 740})
    open_frontend(page, live_server)
    expect(page.locator("section.delegation")).to_have_count(3)
    # One column of cards, nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    feed_cards = page.locator("section.feed article.card")
    expect(feed_cards).to_have_count(6)
    first, second = feed_cards.nth(0).bounding_box(), feed_cards.nth(1).bounding_box()
    assert second["y"] > first["y"] + first["height"] - 1 and first["x"] == second["x"]
    page.screenshot(path=screenshot_dir / "frontend-landing-mobile.png", full_page=True)
    page.get_by_role("link", name="Lire plus", exact=True).first.click()
    expect(page.locator("main h1")).to_have_text(MAV[0])
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=screenshot_dir / "frontend-news-mobile.png", full_page=True)


def test_frontend_says_when_a_page_does_not_exist(page, live_server, live_demo, screenshot_dir):
    open_frontend(page, live_server, "#/fr/delegations/nulle-part/")
    expect(page.locator("main h1")).to_have_text("Page introuvable")
    expect(page.locator("main")).to_contain_text("/fr/delegations/nulle-part/")
    page.get_by_role("link", name="Retour aux délégations").click()
    expect(page.locator("main h1")).to_have_text(
        "Les délégations de MMM auprès des Organisations Internationales"
    )


def test_frontend_shows_a_failed_request_and_retries(page, live_server, live_demo, screenshot_dir):
    failures = []

    def fail_once(route):
        if not failures:
            failures.append(route.request.url)
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route("**/api/mmm/pages/find/**", fail_once)
    open_frontend(page, live_server)
    alert = page.get_by_role("alert")
    expect(alert.locator("h1")).to_have_text("Le contenu n’a pas pu être chargé")
    expect(alert).to_contain_text("HTTP 500")
    page.screenshot(path=screenshot_dir / "frontend-error.png", full_page=True)
    alert.get_by_role("button", name="Réessayer").click()
    expect(page.locator("main h1")).to_have_text(
        "Les délégations de MMM auprès des Organisations Internationales"
    )
    expect(page.locator("section.delegation")).to_have_count(3)
    assert len(failures) == 1


def test_frontend_shows_a_loading_state_while_the_api_answers(page, live_server, live_demo):
    held = []
    page.route("**/api/mmm/pages/find/**", lambda route: held.append(route))
    page.goto(f"{live_server.url}/frontend/")
    expect(page.locator("main .status--loading")).to_have_text("Chargement…")
    expect(page.locator("main")).to_have_attribute("aria-busy", "true")
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("main h1")).to_have_text(
        "Les délégations de MMM auprès des Organisations Internationales"
    )
    expect(page.locator("main")).not_to_have_attribute("aria-busy", "true")


def test_frontend_inserts_plain_text_fields_as_text(page, live_server, live_demo):
    """Markup typed in a plain-text field is shown, never run (nothing goes in as HTML)."""
    from mmm_wagtail.models import DelegationPage

    delegation = DelegationPage.objects.get(slug="onu", locale__language_code="fr")
    delegation.summary = '<img src="/nowhere.png" onerror="window.injected = true">Résumé <b>brut</b>'
    delegation.save_revision().publish()

    api_errors = []
    page.on("pageerror", lambda error: api_errors.append(str(error)))
    open_frontend(page, live_server)
    summary = page.locator("section.delegation").nth(1).locator(".delegation__summary")
    expect(summary).to_have_text(delegation.summary)
    expect(summary.locator("img, b")).to_have_count(0)
    assert page.evaluate("window.injected") is None
    # The rich-text intro, by contrast, is drawn from its Portable Text: paragraphs, not tags as text.
    expect(page.locator("main .hero p")).to_have_count(3)
    assert api_errors == []


def test_frontend_shows_the_excerpt_of_a_news_item_without_a_body(page, live_server, live_demo):
    """The rule of the server-rendered page (docs/templates.md): no body, the excerpt in its place."""
    from mmm_wagtail.models import NewsPage

    news = NewsPage.objects.get(slug="du-local-au-mondial", locale__language_code="fr")
    news.excerpt = "Un extrait, et rien d’autre."
    news.body = []
    news.save_revision().publish()
    open_frontend(page, live_server, "#" + news.url)
    expect(page.locator("main .news__body .news__lead")).to_have_text(news.excerpt)


def test_frontend_draws_rich_text_from_portable_text(page, live_server, live_demo):
    """Paragraphs, marks, nested lists and links (a page link as a route of the frontend)."""
    from mmm_wagtail.models import DelegationPage, NewsPage

    unesco = DelegationPage.objects.get(slug="unesco", locale__language_code="fr")
    news = NewsPage.objects.get(slug="du-local-au-mondial", locale__language_code="fr")
    news.body = [
        {
            "type": "paragraph",
            "value": (
                f'<p>Voir <a linktype="page" id="{unesco.pk}">l’équipe <b>UNESCO</b></a> et '
                '<a href="https://example.org/"><i>ailleurs</i></a>.<br/>Suite</p>'
                "<ul><li>un<ul><li>un bis</li></ul></li><li>deux</li></ul><ol><li>premier</li></ol>"
            ),
        }
    ]
    news.save_revision().publish()
    open_frontend(page, live_server, "#" + news.url)
    text = page.locator("main .news__body .rich-text").first
    link = text.get_by_role("link", name="l’équipe UNESCO")
    expect(link).to_have_count(1)  # one link, though its text is two spans
    expect(link).to_have_attribute("href", "#" + unesco.url)
    expect(link.locator("strong")).to_have_text("UNESCO")
    expect(text.locator("a[href='https://example.org/'] em")).to_have_text("ailleurs")
    expect(text.locator("p br")).to_have_count(1)
    expect(text.locator(":scope > ul > li")).to_have_count(2)
    expect(text.locator("ul > li > ul > li")).to_have_text("un bis")
    expect(text.locator("ol > li")).to_have_text("premier")
    link.click()
    expect(page.locator("main h1")).to_have_text("MMM à l'UNESCO")
