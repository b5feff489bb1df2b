"""The server-rendered pages drop into the site's own layout (finding 5 of issue 11)."""

import re

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from mmm_wagtail.models import NewsPage

DATELINED = "ONU, Genève"


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def news(demo):
    return NewsPage.objects.live().get(dateline=DATELINED)


def test_pages_extend_the_sites_base_template(client, demo, news):
    # example_project/demo/templates/base.html stands for the site's layout (as `wagtail start` makes it).
    for page in (demo, news.get_parent(), news):
        html = html_of(client, page.specific)
        assert '<body class="">' in html
        assert "mmm_wagtail/mmm_wagtail.css" in html
        assert "<style>\n    .mmm-card" not in html  # no inline styles of the package's own


def test_base_template_is_configurable(client, news):
    with override_settings(MMM_WAGTAIL={"BASE_TEMPLATE": "mmm_wagtail/standalone.html", "STYLESHEET": False}):
        html = html_of(client, news)
    assert '<body class="">' not in html
    assert "<main>" in html and news.title in html
    assert "mmm_wagtail.css" not in html


def test_editors_get_the_userbar(admin_client, news):
    assert "wagtail-userbar" in html_of(admin_client, news)


def test_dates_follow_date_formats_and_datelines_show(client, news):
    parent = news.get_parent().specific
    with override_settings(MMM_WAGTAIL={"DATE_FORMATS": {"default": "Y-m-d"}}):
        for page in (news, parent):
            html = html_of(client, page)
            assert f">{news.date:%Y-%m-%d}</time>" in html
            assert f'<span class="mmm-dateline">{DATELINED}</span>' in html
    html = html_of(client, news)
    assert f">{news.date:%d.%m.%y}</time>" in html  # the default: "d.m.y"


def test_news_image_is_responsive(client, news):
    news.image = Image.objects.create(title="Photo", file=get_test_image_file(size=(1800, 900)))
    news.save_revision().publish()
    html = html_of(client, NewsPage.objects.get(pk=news.pk))
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'srcset="' in img and "480w" in img and "1600w" in img
    assert 'sizes="' in img
    assert 'class="mmm-image"' in img


def test_hreflang_alternates_list_every_translation(client, demo_multilingual):
    news = NewsPage.objects.live().filter(locale__language_code="fr", dateline=DATELINED).first()
    html = html_of(client, news)
    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert set(links) == {"fr", "en"}
    english = news.get_translation(_en())
    assert links["en"] == english.get_full_url()
    assert links["fr"] == news.get_full_url()


def _en():
    from wagtail.models import Locale

    return Locale.objects.get(language_code="en")


def test_no_hreflang_with_one_language(client, news):
    assert 'hreflang="' not in html_of(client, news)


@pytest.mark.django_db
def test_missing_base_template_is_a_check_error():
    with override_settings(MMM_WAGTAIL={"BASE_TEMPLATE": "no/such/layout.html"}):
        errors = [e for e in run_checks() if e.id.startswith("mmm_wagtail.E")]
    assert [e.id for e in errors] == ["mmm_wagtail.E020"]
    assert "no/such/layout.html" in errors[0].msg
    assert "standalone.html" in errors[0].hint


def test_a_news_item_without_a_body_shows_its_excerpt(client, news):
    """One rule (docs/templates.md): no body, the excerpt in its place; with a body, the body only."""
    news.excerpt = "Un extrait, et rien d’autre."
    news.body = []
    news.save_revision().publish()
    html = html_of(client, news)
    assert '<p class="mmm-lead">Un extrait, et rien d’autre.</p>' in html
    news.body = [("paragraph", "<p>Le texte entier.</p>")]
    news.save_revision().publish()
    html = html_of(client, news)
    assert "Le texte entier." in html and "mmm-lead" not in html


def test_tags_link_to_the_landing_pages_news_with_that_tag(client, demo, news):
    html = html_of(client, news)
    tag = news.tags.get(name="soins")
    link = f"{demo.url}?tag={tag.slug}"
    assert f'<a href="{link}" rel="tag">soins</a>' in html
    response = client.get(link)
    tagged = {n.title for n in NewsPage.objects.live().filter(tags=tag)}
    section = response.content.decode().split('class="mmm-tagged"')[1].split("</section>")[0]
    assert tagged and all(title in section for title in tagged)
    assert "MAV" not in section  # not tagged "soins"


def test_an_english_news_page_names_its_tags_in_english(client, demo_multilingual, locale_en):
    """A translated page keeps its source's tags (French names): the page shows their TagTranslation."""
    from mmm_wagtail.models import TagTranslation

    fr = NewsPage.objects.live().get(dateline=DATELINED)
    en = fr.get_translation(locale_en)
    english = dict(TagTranslation.objects.filter(locale=locale_en).values_list("tag__name", "name"))
    tags = list(en.tags.all())
    assert tags and all(tag.name in english for tag in tags)  # the demo translates every one
    html = html_of(client, en)
    shown = re.findall(r'rel="tag">([^<]*)</a>', html.split('class="mmm-tags"')[1].split("</p>")[0])
    assert shown == sorted((english[tag.name] for tag in tags), key=str.casefold)
    assert not {tag.name for tag in tags} & set(shown)
    # The link keeps the tag's own slug; the landing page's heading names it in English too.
    tag = tags[0]
    landing = en.get_parent().get_parent()
    assert f'href="{landing.url}?tag={tag.slug}"' in html
    heading = (
        html_of_url(client, f"{landing.url}?tag={tag.slug}").split('class="mmm-tagged"')[1].split("</h2>")[0]
    )
    assert english[tag.name] in heading and tag.name not in heading


def html_of_url(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()
