"""The NewsFeed snippet in the admin: listing, search, add, edit, preview, chooser, validation."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Site

from mmm_wagtail.locales import site_roots
from mmm_wagtail.models import DelegationPage, NewsFeed
from tests.conftest import admin_in_english

LIST = "wagtailsnippets_mmm_wagtail_newsfeed:list"
ADD = "wagtailsnippets_mmm_wagtail_newsfeed:add"
EDIT = "wagtailsnippets_mmm_wagtail_newsfeed:edit"
PREVIEW_ON_EDIT = "wagtailsnippets_mmm_wagtail_newsfeed:preview_on_edit"
PREVIEW_ON_ADD = "wagtailsnippets_mmm_wagtail_newsfeed:preview_on_add"
CHOOSE = "wagtailsnippetchoosers_mmm_wagtail_newsfeed:choose"
CHOOSE_RESULTS = "wagtailsnippetchoosers_mmm_wagtail_newsfeed:choose_results"


@pytest.fixture
def editor_client(client, django_user_model):
    """A member of Wagtail's "Editors" group, given the rights on news feeds an editor needs."""
    user = django_user_model.objects.create_user("redactrice", "r@example.com", "pw")
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="mmm_wagtail",
            codename__in=["add_newsfeed", "change_newsfeed", "delete_newsfeed", "view_newsfeed"],
        )
    )
    user.groups.add(editors)
    client.force_login(admin_in_english(user))
    return client


def form_data(**overrides):
    data = {
        "title": "Actualité UNESCO",
        "slug": "actualite-unesco",
        "intro": "Les dernières nouvelles de l'UNESCO.",
        "tags": [],
        "item_count": "3",
        "teaser_length": "120",
    }
    data.update(overrides)
    return data


def test_list_shows_feeds_with_their_columns(editor_client, demo):
    response = editor_client.get(reverse(LIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert "L&#x27;actualité des délégations de MMM" in html
    assert "actualite-des-delegations" in html
    assert "All delegations" in html


def test_list_search(editor_client, demo):
    NewsFeed.objects.create(locale=demo.locale, title="Petite enfance", slug="petite-enfance")
    html = editor_client.get(reverse(LIST), {"q": "enfance"}).content.decode()
    assert "petite-enfance" in html
    assert "actualite-des-delegations" not in html
    html = editor_client.get(reverse(LIST), {"q": "délégations"}).content.decode()
    assert "actualite-des-delegations" in html
    assert "petite-enfance" not in html


def test_list_query_count_does_not_grow_with_feeds(editor_client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert editor_client.get(reverse(LIST)).status_code == 200
    unesco = DelegationPage.objects.get(slug="unesco")
    for i in range(10):
        feed = NewsFeed.objects.create(locale=demo.locale, title=f"Feed {i}", slug=f"feed-{i}")
        feed.delegations.set([unesco])
        feed.save()
    with CaptureQueriesContext(connection) as many:
        assert editor_client.get(reverse(LIST)).status_code == 200
    # wagtail-localize's "Translate" / "Sync" listing buttons cost 2 queries per row (measured:
    # 17 queries for 1 feed, 37 for 11). The delegations and tags columns are prefetched: without
    # that they would add 2 more per row and break this budget.
    assert len(many) - len(few) <= 10 * 2


def test_add_view_and_create_through_the_form(editor_client, demo):
    response = editor_client.get(reverse(ADD))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Leave all unticked for all delegations" in html
    assert "Use the preview to see which items the feed lists now." in html
    unesco = DelegationPage.objects.get(slug="unesco")
    response = editor_client.post(reverse(ADD), form_data(delegations=[unesco.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    feed = NewsFeed.objects.get(slug="actualite-unesco")
    assert feed.locale == demo.locale
    assert list(feed.delegations.all()) == [unesco]
    assert feed.item_count == 3
    assert feed.teaser_length == 120


def test_duplicate_slug_in_the_same_language_is_a_form_error(editor_client, demo):
    response = editor_client.post(reverse(ADD), form_data(slug="actualite-des-delegations"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "slug" in form.errors
    assert NewsFeed.objects.filter(slug="actualite-des-delegations").count() == 1


def test_same_slug_in_another_language_is_allowed(editor_client, demo, locale_en):
    response = editor_client.post(
        reverse(ADD) + "?locale=en", form_data(slug="actualite-des-delegations", title="Delegations' news")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert NewsFeed.objects.get(slug="actualite-des-delegations", locale=locale_en).title == (
        "Delegations' news"
    )


def test_delegation_choices_are_of_the_feed_language(editor_client, demo, locale_en):
    english = DelegationPage.objects.get(slug="onu").copy_for_translation(locale_en, copy_parents=True)
    html = editor_client.get(reverse(ADD)).content.decode()
    assert f'name="delegations" value="{english.pk}"' not in html
    onu = DelegationPage.objects.get(slug="onu", locale=demo.locale)
    assert f'name="delegations" value="{onu.pk}"' in html


def test_edit_view_and_save(editor_client, demo):
    feed = NewsFeed.objects.get(slug="actualite-des-delegations")
    response = editor_client.get(reverse(EDIT, args=(feed.pk,)))
    assert response.status_code == 200
    response = editor_client.post(
        reverse(EDIT, args=(feed.pk,)),
        form_data(title=feed.title, slug=feed.slug, item_count="4", teaser_length="200"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    feed.refresh_from_db()
    assert feed.item_count == 4


def test_preview_on_edit_shows_the_items_the_form_resolves_to(editor_client, demo):
    feed = NewsFeed.objects.get(slug="actualite-des-delegations")
    unesco = DelegationPage.objects.get(slug="unesco")
    url = reverse(PREVIEW_ON_EDIT, args=(feed.pk,))
    # The preview reflects the unsaved form: UNESCO only, 2 items.
    data = form_data(title=feed.title, slug=feed.slug, item_count="2", delegations=[unesco.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.json()["is_valid"]
    response = editor_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="mmm-card"') == 2
    # UNESCO lists its own 15.11.24 item and the ONU item of 19.06.24 it is related to.
    assert html.index("15.11.24") < html.index("19.06.24")
    assert "16.12.24" not in html  # an ONU item, not listed under UNESCO
    feed.refresh_from_db()
    assert feed.item_count == 6  # previewing saves nothing


def test_preview_on_add(editor_client, demo, locale_en):
    # The add view hands its language to the preview panel.
    add_html = editor_client.get(reverse(ADD)).content.decode()
    url = reverse(PREVIEW_ON_ADD) + "?locale=fr"
    assert url in add_html
    response = editor_client.post(url, form_data(item_count="1"))
    assert response.json()["is_valid"]
    html = editor_client.get(url).content.decode()
    assert html.count('class="mmm-card"') == 1
    assert "16.12.24" in html
    # A feed being created in English previews English news: there are none yet.
    url = reverse(PREVIEW_ON_ADD) + "?locale=en"
    editor_client.post(url, form_data(item_count="1"))
    html = editor_client.get(url).content.decode()
    assert 'class="mmm-card"' not in html


def test_preview_never_shows_unpublished_news(editor_client, demo):
    from mmm_wagtail.models import NewsPage

    NewsPage.objects.get(slug="du-local-au-mondial").unpublish()
    feed = NewsFeed.objects.get(slug="actualite-des-delegations")
    url = reverse(PREVIEW_ON_EDIT, args=(feed.pk,))
    editor_client.post(url, form_data(title=feed.title, slug=feed.slug, item_count="6"))
    html = editor_client.get(url).content.decode()
    assert "Du local au mondial" not in html
    assert html.count('class="mmm-card"') == 6


def test_chooser_lists_feeds(editor_client, demo, locale_en):
    NewsFeed.objects.create(locale=locale_en, title="Delegations' news", slug="delegations-news")
    response = editor_client.get(reverse(CHOOSE))
    assert response.status_code == 200
    html = response.json()["html"]
    assert "L&#x27;actualité des délégations de MMM" in html
    assert "actualite-des-delegations" in html
    response = editor_client.get(reverse(CHOOSE_RESULTS), {"q": "news", "locale": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "delegations-news" in html
    assert "actualite-des-delegations" not in html


def test_chooser_widget_on_the_landing_page_and_in_the_block(admin_client, demo):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(demo.pk,)))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse(CHOOSE) in html


def test_wagtail_localize_translate_action(admin_client, demo, locale_en):
    from taggit.models import Tag

    feed = NewsFeed.objects.get(slug="actualite-des-delegations")
    unesco = DelegationPage.objects.get(slug="unesco")
    feed.delegations.set([unesco])
    feed.tags.set([Tag.objects.get(name="éducation")])
    feed.save()
    url = reverse("wagtail_localize:submit_snippet_translation", args=["mmm_wagtail", "newsfeed", feed.pk])
    assert url in admin_client.get(reverse(LIST)).content.decode()  # the listing's "Translate" button
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"locales": [locale_en.pk]})
    assert response.status_code == 302
    english = NewsFeed.objects.get(locale=locale_en)
    # Slug and sizes are synchronised; the filters are kept and matched by translation key.
    assert (english.slug, english.item_count, english.translation_key) == (
        feed.slug,
        feed.item_count,
        feed.translation_key,
    )
    assert list(english.delegations.all()) == [unesco]
    assert [t.name for t in english.tags.all()] == ["éducation"]
    assert list(english.news(site_roots(Site.objects.get(is_default_site=True)))) == []  # no English news yet
    # The translated feed's edit view is wagtail-localize's translation editor.
    assert admin_client.get(reverse(EDIT, args=(english.pk,))).status_code == 200
