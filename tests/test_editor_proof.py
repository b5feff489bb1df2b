"""Issue #10: nothing an editor does ends in a 500, and what the editor gets is what they meant.

One test (or a few) per numbered finding of the issue; the numbers are the issue's.
"""

import datetime
import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.core.files.images import ImageFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page

from mmm_wagtail.models import DelegationPage, NewsFeed, NewsPage
from tests import feed_helpers as h

FEED_ADD = "wagtailsnippets_mmm_wagtail_newsfeed:add"
FEED_EDIT = "wagtailsnippets_mmm_wagtail_newsfeed:edit"
FEED_LIST = "wagtailsnippets_mmm_wagtail_newsfeed:list"


def make_image(title="photo.png", description=""):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, description=description, file=ImageFile(buffer, name=title)
    )


def feed_form(**overrides):
    data = {
        "title": "Éducation UNESCO",
        "slug": "education-unesco",
        "intro": "",
        "tags": "",
        "item_count": "3",
        "teaser_length": "120",
    }
    data.update(overrides)
    return data


# 1. A deleted feed, or a feed block with no feed yet ----------------------------------------


def _body_with_feed(page, feed_id, heading=""):
    page.body = json.dumps([{"type": "news_feed", "value": {"feed": feed_id, "heading": heading}}])
    page.save_revision().publish()


def test_a_page_whose_feed_was_deleted_still_renders(client, demo):
    unesco = DelegationPage.objects.get(slug="unesco")
    feed = h.feed(demo.locale, slug="bientot-supprime", title="Bientôt supprimé")
    _body_with_feed(unesco, feed.pk, heading="Encore là ?")
    feed.delete()
    with override_settings(DEBUG=False):
        response = client.get(unesco.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Encore là ?" not in html  # nothing left of the block
    assert 'class="mmm-feed"' not in html


def test_a_feed_block_with_no_feed_chosen_renders_nothing(client, demo):
    _body_with_feed(demo, None, heading="Sans flux")
    response = client.get(demo.url)
    assert response.status_code == 200
    assert "Sans flux" not in response.content.decode()


# 2. A new translation is a draft until a translator publishes it ----------------------------


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _submit(admin_client, commit, page, locale):
    url = reverse("wagtail_localize:submit_page_translation", args=(page.pk,))
    with commit():
        response = admin_client.post(url, {"locales": [locale.pk], "include_subtree": "on"})
    assert response.status_code == 302


def test_a_new_translation_is_not_public_until_published(admin_client, commit, client, demo, locale_en):
    _submit(admin_client, commit, demo, locale_en)
    english = Page.objects.get(translation_key=demo.translation_key, locale=locale_en)
    assert not english.live
    english_news = NewsPage.objects.filter(locale=locale_en)
    assert english_news.exists() and not english_news.filter(live=True).exists()
    # Nothing French under English headings: no English news in the API or the RSS.
    assert client.get("/api/mmm/news/", {"locale": "en"}).json()["count"] == 0
    assert client.get(english.url or "/en/delegations/").status_code == 404


def test_the_setting_restores_wagtail_localizes_behaviour(admin_client, commit, demo, locale_en):
    with override_settings(MMM_WAGTAIL={"PUBLISH_NEW_TRANSLATIONS": True}):
        _submit(admin_client, commit, demo, locale_en)
    assert Page.objects.get(translation_key=demo.translation_key, locale=locale_en).live


# 3. Feed slugs: what Wagtail's slug script types is accepted ---------------------------------


def test_an_accented_feed_slug_is_saved_without_accents(admin_client, demo):
    url = reverse(FEED_ADD) + "?locale=fr"
    response = admin_client.post(url, feed_form(slug="éducation-unesco"))
    assert response.status_code == 302, response.context["form"].errors
    assert NewsFeed.objects.get(title="Éducation UNESCO").slug == "education-unesco"
    # The help text says so.
    assert "education-unesco" in str(NewsFeed._meta.get_field("slug").help_text)


def test_a_slug_with_no_latin_letter_is_a_clear_error(admin_client, demo):
    response = admin_client.post(reverse(FEED_ADD) + "?locale=fr", feed_form(slug="教育"))
    assert response.status_code == 200
    error = response.context["form"].errors.as_data()["slug"][0]
    assert error.code == "invalid" and "education-unesco" in str(error.message)


# 4. The feed's tags use Wagtail's tag widget --------------------------------------------------


def test_feed_tags_use_the_tag_widget_and_accept_names(admin_client, demo):
    html = admin_client.get(reverse(FEED_ADD) + "?locale=fr").content.decode()
    assert re.search(r'<input[^>]+name="tags"[^>]+data-controller="w-tag"', html) or re.search(
        r'data-controller="w-tag"[^>]+name="tags"', html
    )
    response = admin_client.post(reverse(FEED_ADD) + "?locale=fr", feed_form(tags="éducation, nouveau sujet"))
    assert response.status_code == 302, response.context["form"].errors
    feed = NewsFeed.objects.get(slug="education-unesco")
    assert sorted(tag.name for tag in feed.tags.all()) == ["nouveau sujet", "éducation"]
    assert Tag.objects.filter(name="éducation").count() == 1  # an existing tag is reused
    edit = admin_client.get(reverse(FEED_EDIT, args=(feed.pk,))).content.decode()
    assert "nouveau sujet" in edit


# 5 is the concurrent-preview test (tests/test_sqlite_concurrency.py).

# 6. Images: alt text asked for, cards show the image, feeds carry it --------------------------


def _news_form(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "date": page.date.isoformat(),
        "dateline": page.dateline,
        "excerpt": page.excerpt or "Des mères, des enfants, une école.",
        "image": "",
        "tags": "",
        "body-count": "0",
        "action-publish": "publish",
    }
    data.update(overrides)
    return data


def test_publishing_with_an_undescribed_image_asks_for_its_description(admin_client, demo):
    item = NewsPage.objects.filter(locale=demo.locale).first()
    image = make_image()
    url = reverse("wagtailadmin_pages:edit", args=(item.pk,))
    response = admin_client.post(url, _news_form(item, image=image.pk))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"image"}, response.context["form"].errors
    assert "no description" in str(response.context["form"].errors["image"])
    # A draft can be saved meanwhile.
    draft = _news_form(item, image=image.pk)
    del draft["action-publish"]
    assert admin_client.post(url, draft).status_code == 302
    image.description = "Des mères et leurs enfants à l'école"
    image.save()
    response = admin_client.post(url, _news_form(item, image=image.pk))
    assert response.status_code == 302, response.context["form"].errors


def test_cards_and_feeds_show_the_featured_image_with_its_description(client, demo):
    item = NewsPage.objects.filter(locale=demo.locale).order_by("-date", "-pk").first()
    item.image = make_image(description="Une classe au Kenya")
    item.save_revision().publish()
    html = client.get(demo.url).content.decode()
    assert re.search(r'<article class="mmm-card">\s*<img[^>]+alt="Une classe au Kenya"', html)
    slug = demo.news_feed.slug
    rss = client.get(reverse("mmm_wagtail_feed_rss", kwargs={"slug": slug})).content
    # The newest item carries the new image (the demo's other items have images of their own).
    newest = ElementTree.fromstring(rss).find("./channel/item")
    enclosure = newest.find("enclosure")
    assert newest.findtext("title") == item.title
    assert enclosure is not None and enclosure.get("type") == "image/png"
    assert int(enclosure.get("length")) > 0
    assert item.image.file.name.rsplit("/", 1)[-1].split(".")[0] in enclosure.get("url")
    items = client.get(reverse("mmm_wagtail_feed_json", kwargs={"slug": slug})).json()["items"]
    assert items[0]["title"] == item.title and items[0]["image"] == enclosure.get("url")


# 7. No publishing an empty news item ----------------------------------------------------------


def test_a_news_item_with_no_content_cannot_be_published(admin_client, demo):
    unesco = DelegationPage.objects.get(slug="unesco")
    url = reverse("wagtailadmin_pages:add", args=("mmm_wagtail", "newspage", unesco.pk))
    data = {
        "title": "Titre seul",
        "slug": "titre-seul",
        "date": "2026-11-30",
        "dateline": "",
        "excerpt": "",
        "image": "",
        "tags": "",
        "body-count": "0",
    }
    assert admin_client.post(url, {**data, "action-publish": "publish"}).status_code == 200
    assert not NewsPage.objects.filter(slug="titre-seul").exists()
    # As a draft it may be saved, and published once it says something.
    assert admin_client.post(url, data).status_code == 302
    page = NewsPage.objects.get(slug="titre-seul")
    assert not page.live
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = admin_client.post(edit, {**data, "excerpt": "Enfin du contenu.", "action-publish": "publish"})
    assert response.status_code == 302
    assert NewsPage.objects.get(pk=page.pk).live


# 8. The feeds listing shows each feed's language ----------------------------------------------


def test_feed_listing_has_a_language_column(admin_client, demo_multilingual):
    html = admin_client.get(reverse(FEED_LIST)).content.decode()
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)
    assert any("Language" in header for header in headers)
    assert "English" in html and "Français" in html


# 9. A feed block does not repeat the delegation's own list ------------------------------------


def test_a_feed_block_in_a_delegation_body_leaves_out_its_own_news(client, demo):
    unesco = DelegationPage.objects.get(slug="unesco")
    feed = h.feed(demo.locale, slug="unesco-seule", title="Rien que l'UNESCO", delegations=[unesco])
    _body_with_feed(unesco, feed.pk)
    html = client.get(unesco.url).content.decode()
    assert "Rien que l&#x27;UNESCO" not in html
    first = NewsPage.objects.live().descendant_of(unesco).order_by("-date").first()
    assert html.count(f">{first.title}</a>") == 1
    # A feed that adds other delegations' news is shown whole.
    everything = h.feed(demo.locale, slug="toutes", title="Toutes les délégations")
    _body_with_feed(unesco, everything.pk)
    html = client.get(unesco.url).content.decode()
    assert "Toutes les délégations" in html
    assert html.count(f">{first.title}</a>") == 2


# 10. Feeds say when an item last changed ------------------------------------------------------


def test_feeds_date_modified_and_last_build_date_follow_the_last_publication(client, demo):
    item = NewsPage.objects.filter(locale=demo.locale).order_by("-date", "-pk").first()
    item.title = item.title + " (corrigé)"
    item.save_revision().publish()
    item.refresh_from_db()
    assert item.last_published_at.date() > item.date
    slug = demo.news_feed.slug
    entries = client.get(reverse("mmm_wagtail_feed_json", kwargs={"slug": slug})).json()["items"]
    corrected = next(entry for entry in entries if entry["title"] == item.title)
    assert datetime.datetime.fromisoformat(corrected["date_modified"]) == item.last_published_at
    assert corrected["date_published"].startswith(item.date.isoformat())
    rss = client.get(reverse("mmm_wagtail_feed_rss", kwargs={"slug": slug})).content
    last_build = ElementTree.fromstring(rss).find("./channel/lastBuildDate").text
    from email.utils import parsedate_to_datetime

    assert parsedate_to_datetime(last_build) == item.last_published_at.replace(microsecond=0)
    assert timezone.now() - parsedate_to_datetime(last_build) < datetime.timedelta(days=1)


# 11. "Lire plus" says which article it reads more of -------------------------------------------


def test_read_more_links_are_described_by_their_titles(client, demo):
    html = client.get(demo.url).content.decode()
    links = re.findall(r'<a href="[^"]+" aria-describedby="([^"]+)">', html)
    assert len(links) >= 8
    assert len(set(links)) == len(links)  # an item listed twice has two distinct ids
    for card_id in links:
        assert re.search(rf'<h3 id="{card_id}"><a href="[^"]+">[^<]+</a></h3>', html)
