"""Only live, public, current pages of the requested locale and site leave through the API."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from mmm_wagtail.models import DelegationIndexPage, DelegationPage

from .conftest import get_json, make_news


def _visible(client, page):
    """Where ``page`` could show: the listing, latest_news, its detail, find by path."""
    listed = page.pk in [i["id"] for i in get_json(client, "news/?limit=100")["items"]]
    latest = page.pk in [n["id"] for d in get_json(client, "delegations/")["items"] for n in d["latest_news"]]
    detail = client.get(f"/api/mmm/news/{page.pk}/").status_code != 404
    generic = client.get(f"/api/mmm/pages/{page.pk}/").status_code != 404
    found = client.get("/api/mmm/pages/find/?path=" + page.url_path[len("/home") :]).status_code != 404
    return listed, latest, detail, generic, found


def test_a_published_page_is_visible_everywhere(tree, client):
    _, eu, _ = tree
    page = make_news(eu)
    assert _visible(client, page) == (True, True, True, True, True)


def test_draft_is_hidden(tree, client):
    _, eu, _ = tree
    page = make_news(eu, publish=False)
    page.save_revision()
    assert _visible(client, page) == (False,) * 5


def test_unpublished_is_hidden(tree, client):
    _, eu, _ = tree
    page = make_news(eu)
    page.unpublish()
    assert _visible(client, page) == (False,) * 5


def test_private_page_and_section_are_hidden(tree, client):
    _, eu, un = tree
    page = make_news(eu)
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    in_private_section = make_news(un)
    PageViewRestriction.objects.create(page=un, restriction_type="login")
    assert _visible(client, page) == (False,) * 5
    assert _visible(client, in_private_section) == (False,) * 5
    assert [d["acronym"] for d in get_json(client, "delegations/")["items"]] == ["EU"]
    assert client.get(f"/api/mmm/delegations/{un.pk}/").status_code == 404


def test_expired_is_hidden(tree, client):
    _, eu, _ = tree
    page = make_news(eu)
    # Through save(), as the admin and Wagtail do: the listing rows follow the page's
    # signals; a bulk update() bypasses them (rebuild_news_listing --check reports that).
    page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save()
    assert _visible(client, page) == (False,) * 5


def test_future_go_live_is_hidden(tree, client):
    _, eu, _ = tree
    page = make_news(eu)
    page.go_live_at = timezone.now() + datetime.timedelta(days=1)
    page.save()
    assert _visible(client, page) == (False,) * 5


def test_other_locale_is_not_listed_in_this_one(tree, client, locale_en):
    index, eu, _ = tree
    page = make_news(eu, title="French")
    home_en = index.get_parent().copy_for_translation(locale_en)
    home_en.save_revision().publish()
    index_en = index.copy_for_translation(locale_en)
    index_en.save_revision().publish()
    eu_en = eu.copy_for_translation(locale_en)
    eu_en.save_revision().publish()
    english = page.copy_for_translation(locale_en)
    english.title = "English"
    english.save_revision().publish()
    assert [i["title"] for i in get_json(client, "news/?locale=fr")["items"]] == ["French"]
    en = get_json(client, "news/?locale=en")["items"]
    assert [i["title"] for i in en] == ["English"]
    assert en[0]["meta"]["locale"] == "en"
    assert en[0]["delegations"] == [{"id": eu_en.pk, "title": eu_en.title, "acronym": eu_en.acronym}]
    detail = get_json(client, f"news/{page.pk}/")
    (translation,) = detail["translations"]
    assert {k: translation[k] for k in ("locale", "id", "title", "detail_url")} == {
        "locale": "en",
        "id": english.pk,
        "title": "English",
        "detail_url": f"http://testserver/api/mmm/news/{english.pk}/",
    }
    assert detail["translations"][0]["html_url"].startswith("http://localhost/en/")


@pytest.mark.django_db
def test_other_site_is_hidden(tree, client):
    _, eu, _ = tree
    mine = make_news(eu, title="Mine")
    root = Page.get_first_root_node()
    other_home = root.add_child(instance=Page(title="Other", slug="other-home"))
    Site.objects.create(hostname="other.example", root_page=other_home)
    other_index = other_home.add_child(instance=DelegationIndexPage(title="Other index", slug="oi"))
    other_delegation = other_index.add_child(
        instance=DelegationPage(title="Other", slug="od", organisation="o", acronym="O", summary="s")
    )
    # Related to a delegation of this site: still another site's news.
    theirs = make_news(other_delegation, title="Theirs", related=[eu])
    assert [i["title"] for i in get_json(client, "news/")["items"]] == ["Mine"]
    delegation = get_json(client, f"delegations/{eu.pk}/")
    assert [i["title"] for i in delegation["latest_news"]] == ["Mine"]
    page = client.get(delegation["meta"]["html_url"]).content.decode()
    assert "Mine" in page and "Theirs" not in page
    assert client.get(f"/api/mmm/news/{theirs.pk}/").status_code == 404
    other = get_json(client, "news/", HTTP_HOST="other.example")["items"]
    assert [i["title"] for i in other] == ["Theirs"]
    assert other[0]["meta"]["html_url"].startswith("http://other.example/")
    assert client.get(f"/api/mmm/news/{mine.pk}/", HTTP_HOST="other.example").status_code == 404
