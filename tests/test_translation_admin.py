"""The admin translation workflow (wagtail-localize's views) for each page type and the feed snippet:
"Translate", the translation editor, editing a string, publishing, "Sync translated pages".
"""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from mmm_wagtail.models import DelegationPage, NewsFeed, NewsPage

EDITOR_TEMPLATE = "wagtail_localize/admin/edit_translation.html"
ITEM = "les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what wagtail-localize defers to the commit (publishing translated pages)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def submit_page(admin_client, commit, page, locale):
    url = reverse("wagtail_localize:submit_page_translation", args=(page.pk,))
    assert admin_client.get(url).status_code == 200
    with commit():
        response = admin_client.post(url, {"locales": [locale.pk]})
    assert response.status_code == 302, response.content.decode()[:1000]
    return type(page).objects.get(translation_key=page.translation_key, locale=locale)


def edit_string(admin_client, translation, path, value):
    segment = StringSegment.objects.get(source=translation.source, context__path=path)
    url = reverse("wagtail_localize:edit_string_translation", args=(translation.pk, segment.pk))
    response = admin_client.put(
        url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 201), response.content.decode()[:1000]


def translation_of(obj, locale):
    return Translation.objects.get(source__object_id=obj.translation_key, target_locale=locale)


def sync(admin_client, commit, source_obj):
    source = TranslationSource.objects.get_for_instance(source_obj)
    url = reverse("wagtail_localize:update_translations", args=(source.pk,))
    assert admin_client.get(url).status_code == 200
    with commit():
        response = admin_client.post(url, {"publish_translations": "on"})
    assert response.status_code == 302, response.content.decode()[:1000]


@pytest.fixture
def english_feed(admin_client, commit, demo, locale_en):
    feed = demo.news_feed
    url = reverse("wagtail_localize:submit_snippet_translation", args=("mmm_wagtail", "newsfeed", feed.pk))
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"locales": [locale_en.pk]})
    assert response.status_code == 302, response.content.decode()[:1000]
    return NewsFeed.objects.get(translation_key=feed.translation_key, locale=locale_en)


def test_translate_edit_publish_and_sync_every_page_type(admin_client, commit, demo, english_feed, locale_en):
    english_index = submit_page(admin_client, commit, demo, locale_en)
    assert english_index.news_feed == english_feed  # the related feed's translation
    onu = DelegationPage.objects.get(slug="onu")
    unesco = DelegationPage.objects.get(slug="unesco")
    english_onu = submit_page(admin_client, commit, onu, locale_en)
    english_unesco = submit_page(admin_client, commit, unesco, locale_en)
    french = NewsPage.objects.get(slug=ITEM)
    english_news = submit_page(admin_client, commit, french, locale_en)
    assert english_news.get_parent().pk == english_onu.pk
    assert list(english_news.related_delegations.all()) == [english_unesco]

    for page, path, value in (
        (english_index, "title", "MMM's delegations"),
        (english_onu, "organisation", "United Nations"),
        (english_news, "title", "MMM teams mobilise for the right to education"),
    ):
        edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        response = admin_client.get(edit_url)
        assert response.status_code == 200
        assert EDITOR_TEMPLATE in [t.name for t in response.templates]
        edit_string(admin_client, translation_of(page, locale_en), path, value)
        with commit():
            response = admin_client.post(edit_url, {"action": "publish"})
        assert response.status_code in (200, 302)
        page = type(page).objects.get(pk=page.pk)
        assert getattr(page, path) == value and page.live

    # A change to the French item, synced: the English item follows; its own title stays.
    french.date = datetime.date(2024, 7, 1)
    french.related_delegations.set([DelegationPage.objects.get(slug="union-europeenne")])
    french.save_revision().publish()
    sync(admin_client, commit, french)
    english_news = NewsPage.objects.get(pk=english_news.pk)
    assert english_news.date == datetime.date(2024, 7, 1)
    assert english_news.title == "MMM teams mobilise for the right to education"
    # No English EU delegation yet: the French one, matched by translation key in listings.
    assert [d.slug for d in english_news.related_delegations.all()] == ["union-europeenne"]
    french.refresh_from_db()
    assert french.title.startswith("Les équipes MMM")

    # Delegation settings synchronise too.
    onu.latest_news_count = 4
    onu.save_revision().publish()
    sync(admin_client, commit, onu)
    assert DelegationPage.objects.get(pk=english_onu.pk).latest_news_count == 4


def test_translate_edit_publish_and_sync_the_feed_snippet(
    admin_client, commit, demo, english_feed, locale_en
):
    edit_url = reverse("wagtailsnippets_mmm_wagtail_newsfeed:edit", args=(english_feed.pk,))
    response = admin_client.get(edit_url)
    assert response.status_code == 200
    assert EDITOR_TEMPLATE in [t.name for t in response.templates]

    edit_string(admin_client, translation_of(english_feed, locale_en), "title", "News from MMM's delegations")
    response = admin_client.post(edit_url, {"action": "publish"})
    assert response.status_code in (200, 302)
    english_feed.refresh_from_db()
    assert english_feed.title == "News from MMM's delegations"

    feed = demo.news_feed
    submit_page(admin_client, commit, demo, locale_en)
    onu = DelegationPage.objects.get(slug="onu")
    english_un = submit_page(admin_client, commit, onu, locale_en)
    feed.delegations.set([onu])
    feed.item_count = 4
    feed.save()
    sync(admin_client, commit, feed)
    english_feed.refresh_from_db()
    assert english_feed.item_count == 4
    assert list(english_feed.delegations.all()) == [english_un]
    assert english_feed.title == "News from MMM's delegations"
    feed.refresh_from_db()
    assert feed.title == "L'actualité des délégations de MMM"


def test_feed_form_offers_the_delegations_of_the_feeds_language(admin_client, demo_multilingual, locale_en):
    # (A synced translation is edited in the translation editor; the form serves the source
    # feed and feeds written directly in a language.)
    def offered(url):
        html = admin_client.get(url).content.decode()
        return set(map(int, re.findall(r'name="delegations" value="(\d+)"', html)))

    def delegations(code):
        return set(DelegationPage.objects.filter(locale__language_code=code).values_list("pk", flat=True))

    urls = "wagtailsnippets_mmm_wagtail_newsfeed"
    french_feed = NewsFeed.objects.get(locale__language_code="fr")
    assert len(delegations("fr")) == len(delegations("en")) == 3
    assert offered(reverse(f"{urls}:edit", args=(french_feed.pk,))) == delegations("fr")
    assert offered(reverse(f"{urls}:add") + "?locale=en") == delegations("en")
    # A feed keeps a delegation of another language it already has.
    english_only = NewsFeed.objects.create(locale=locale_en, title="UN only", slug="un-only")
    french_onu = DelegationPage.objects.get(slug="onu")
    english_only.delegations.set([french_onu])
    english_only.save()
    assert offered(reverse(f"{urls}:edit", args=(english_only.pk,))) == delegations("en") | {french_onu.pk}
