import re

import pytest
from django.urls import reverse

from mmm_wagtail.models import DelegationPage, NewsFeed, NewsPage


def test_create_views_render(admin_client, demo):
    onu = DelegationPage.objects.get(slug="onu")
    for model, parent in (
        ("delegationindexpage", demo.get_parent()),
        ("delegationpage", demo),
        ("newspage", onu),
    ):
        url = reverse("wagtailadmin_pages:add", args=("mmm_wagtail", model, parent.pk))
        response = admin_client.get(url)
        assert response.status_code == 200, model


def test_edit_views_render(admin_client, demo):
    news = NewsPage.objects.get(slug="du-local-au-mondial")
    for page in (demo, DelegationPage.objects.get(slug="onu"), news):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        assert response.status_code == 200, page
    # The related-delegations checkboxes offer the other delegations, not the parent.
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(news.pk,))).content.decode()
    assert "MMM à l&#x27;UNESCO" in html
    offered = set(map(int, re.findall(r'name="related_delegations" value="(\d+)"', html)))
    unesco, ue = (
        DelegationPage.objects.get(slug="unesco"),
        DelegationPage.objects.get(slug="union-europeenne"),
    )
    assert offered == {unesco.pk, ue.pk}


@pytest.mark.parametrize("model", ["newsfeed", "tagtranslation"])
def test_snippet_views_render(admin_client, demo, model):
    response = admin_client.get(reverse(f"wagtailsnippets_mmm_wagtail_{model}:list"))
    assert response.status_code == 200
    response = admin_client.get(reverse(f"wagtailsnippets_mmm_wagtail_{model}:add"))
    assert response.status_code == 200


def test_news_feed_edit_view(admin_client, demo):
    feed = NewsFeed.objects.get()
    response = admin_client.get(reverse("wagtailsnippets_mmm_wagtail_newsfeed:edit", args=(feed.pk,)))
    assert response.status_code == 200
    assert "actualite-des-delegations" in response.content.decode()


def test_publishing_a_news_item_through_the_admin(admin_client, demo):
    unesco = DelegationPage.objects.get(slug="unesco")
    url = reverse("wagtailadmin_pages:add", args=("mmm_wagtail", "newspage", unesco.pk))
    data = {
        "title": "Nouvelle intervention à l'UNESCO",
        "slug": "nouvelle-intervention",
        "date": "2025-01-10",
        "dateline": "UNESCO, Paris",
        "excerpt": "",
        "tags": "éducation, paix",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": '{"blocks":[{"key":"a","type":"unstyled","text":"Un texte.","depth":0,'
        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "action-publish": "publish",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(slug="nouvelle-intervention")
    assert page.live
    assert sorted(t.name for t in page.tags.all()) == ["paix", "éducation"]
