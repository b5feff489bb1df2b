"""News feeds inside pages: the landing page's combined feed and the StreamField feed block."""

import re

import pytest

from mmm_wagtail.models import DelegationPage, NewsFeed, NewsPage

SEED_DATES = ["16.12.24", "14.12.24", "05.12.24", "02.12.24", "15.11.24", "07.10.24"]


def feed_section(html):
    match = re.search(r'<section class="mmm-feed">(.*?)</section>', html, re.S)
    assert match, "no feed section"
    return match.group(1)


def card_dates(section):
    return re.findall(r'<time datetime="[^"]+">([^<]+)</time>', section)


def expected_titles():
    from django.utils.html import escape

    return [escape(p.title) for p in NewsPage.objects.live().order_by("-date", "-pk")[:6]]


def assert_in_order(section, titles):
    positions = [section.index(title) for title in titles]
    assert positions == sorted(positions)


def test_landing_page_lists_the_combined_feed_in_the_seeds_order(client, demo):
    response = client.get(demo.url)
    assert response.status_code == 200
    section = feed_section(response.content.decode())
    assert "L&#x27;actualité des délégations de MMM" in section
    assert card_dates(section) == SEED_DATES
    assert_in_order(section, expected_titles())


def test_landing_page_preview_renders_the_feed(demo):
    response = demo.make_preview_request()
    html = response.content.decode() if hasattr(response, "content") else response.rendered_content
    section = feed_section(html)
    assert card_dates(section) == SEED_DATES
    assert 'type="application/rss+xml"' not in html  # no discovery links in previews


@pytest.fixture
def page_with_feed_block(demo):
    onu = DelegationPage.objects.get(slug="onu")
    feed = NewsFeed.objects.create(
        locale=demo.locale, slug="unesco-seulement", title="Actualité UNESCO", item_count=5
    )
    feed.delegations.set([DelegationPage.objects.get(slug="unesco")])
    feed.save()
    onu.body = [("news_feed", {"feed": feed, "heading": "Lu à l'UNESCO"})]
    onu.save_revision().publish()
    return DelegationPage.objects.get(pk=onu.pk)


def test_feed_block_renders_its_items_in_a_page(client, page_with_feed_block):
    html = client.get(page_with_feed_block.url).content.decode()
    section = feed_section(html)
    assert "<h2>Lu à l&#x27;UNESCO</h2>" in section  # the heading override wins
    assert card_dates(section) == ["15.11.24", "19.06.24"]


def test_feed_block_renders_in_the_wagtail_preview(page_with_feed_block):
    response = page_with_feed_block.make_preview_request()
    section = feed_section(response.content.decode())
    assert card_dates(section) == ["15.11.24", "19.06.24"]


def test_feed_block_without_heading_uses_the_feed_title(client, page_with_feed_block):
    page = page_with_feed_block
    page.body = [("news_feed", {"feed": NewsFeed.objects.get(slug="unesco-seulement"), "heading": ""})]
    page.save_revision().publish()
    assert "<h2>Actualité UNESCO</h2>" in feed_section(client.get(page.url).content.decode())


def test_feed_block_never_shows_unpublished_news(client, page_with_feed_block):
    NewsPage.objects.get(slug="leducation-des-filles-en-cote-divoire").unpublish()
    html = client.get(page_with_feed_block.url).content.decode()
    assert "15.11.24" not in card_dates(html)
    # What the feed has left (19.06.24) is in ONU's own list already: the block repeats nothing.
    assert card_dates(html).count("19.06.24") == 1


def test_delegation_page_lists_delegation_page_news_items(client, home, locale_fr):
    """A delegation's page lists its ``DELEGATION_PAGE_NEWS`` newest news (own and related)."""
    import datetime

    from django.test import override_settings

    from .feed_helpers import delegation, landing, news

    ue = delegation(landing(home), "UE")
    for i in range(5):
        news(ue, f"Nouvelle {i}", datetime.date(2024, 1, 1) + datetime.timedelta(days=i))
    with override_settings(MMM_WAGTAIL={"DELEGATION_PAGE_NEWS": 3}):
        response = client.get(ue.url)
    assert [page.title for page in response.context["news_items"]] == [
        "Nouvelle 4",
        "Nouvelle 3",
        "Nouvelle 2",
    ]
    assert len(client.get(ue.url).context["news_items"]) == 5
