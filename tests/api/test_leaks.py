"""Only live, public, current pages of the requested locale and site leave through the API."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction, Site

from mmm_wagtail.models import DelegationIndexPage, DelegationPage
from tests import db_snapshot

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
        "detail_url": f"http://localhost/api/mmm/news/{english.pk}/",
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


# -- state x endpoint, two sites on one database, every face ----------------------------------

FORMATS = ("rss", "atom", "json")


def _build_two_sites():
    """Site A (the default, localhost) and site B (other.example), each with a landing page
    showing one combined feed of every delegation, a delegation with news in every state.
    Built once per worker (tests/db_snapshot.py); the primary keys of what the tests name."""
    from tests.feed_helpers import delegation, feed, landing, make_private, news

    locale_fr = Locale.objects.get(language_code="fr")
    home = Site.objects.get(is_default_site=True).root_page
    shared_feed = feed(locale_fr, slug="all-news", title="Toutes les actualités")
    land_a = landing(home, news_feed=shared_feed)
    deleg_a = delegation(land_a, "EU")
    root = Page.get_first_root_node()
    home_b = root.add_child(instance=Page(title="Other", slug="other-home", locale=locale_fr))
    Site.objects.create(hostname="other.example", root_page=home_b)
    land_b = landing(home_b, news_feed=shared_feed)
    deleg_b = delegation(land_b, "UN")

    visible = news(deleg_a, "VISIBLE-A", "2024-05-01", related=[deleg_b])
    hidden = {
        "draft": news(deleg_a, "HIDDEN-DRAFT", "2024-05-02", publish=False),
        "private": news(deleg_a, "HIDDEN-PRIVATE", "2024-05-03"),
        "expired": news(deleg_a, "HIDDEN-EXPIRED", "2024-05-04"),
        "scheduled": news(deleg_a, "HIDDEN-SCHEDULED", "2024-05-05"),
        "unpublished": news(deleg_a, "HIDDEN-UNPUBLISHED", "2024-05-06"),
        # Site B's news, related to site A's delegation: still not site A's.
        "other-site": news(deleg_b, "HIDDEN-OTHER-SITE", "2024-05-07", related=[deleg_a]),
    }
    make_private(hidden["private"])
    now = timezone.now()
    # Through save(), as Wagtail's editor does (the listing read model follows saves). A day either
    # way: still expired and still scheduled whenever a test of the run restores the snapshot.
    for state, field, when in (
        ("expired", "expire_at", now - datetime.timedelta(days=1)),
        ("scheduled", "go_live_at", now + datetime.timedelta(days=1)),
    ):
        page = Page.objects.get(pk=hidden[state].pk).specific
        setattr(page, field, when)
        page.save()
    hidden["unpublished"].unpublish()
    return {
        "feed": shared_feed.pk,
        "landing": land_a.pk,
        "delegation": deleg_a.pk,
        "other_delegation": deleg_b.pk,
        "visible": visible.pk,
        "hidden": {state: page.pk for state, page in hidden.items()},
    }


@pytest.fixture(scope="session")
def _two_sites_rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(_build_two_sites)


@pytest.fixture
def two_sites(db, _two_sites_rows):
    """``_build_two_sites``'s world, written back into this test's transaction: its pages and feed."""
    from mmm_wagtail.models import NewsFeed

    _two_sites_rows.restore()
    keys = _two_sites_rows.value

    def page(pk):
        return Page.objects.get(pk=pk).specific

    return {
        "feed": NewsFeed.objects.get(pk=keys["feed"]),
        **{name: page(keys[name]) for name in ("landing", "delegation", "other_delegation", "visible")},
        "hidden": {state: page(pk) for state, pk in keys["hidden"].items()},
    }


def _faces(client, world):
    """Every way site A shows news: (name, text of the response)."""
    deleg = world["delegation"]
    faces = [
        ("api news", client.get("/api/mmm/news/?limit=100")),
        ("api delegations", client.get("/api/mmm/delegations/")),
        ("api delegation", client.get(f"/api/mmm/delegations/{deleg.pk}/")),
        ("api feeds", client.get("/api/mmm/feeds/")),
        ("api feed", client.get("/api/mmm/feeds/all-news/")),
        ("api landing", client.get(f"/api/mmm/pages/{world['landing'].pk}/")),
        ("landing page", client.get(world["landing"].url)),
        ("delegation page", client.get(deleg.url)),
    ]
    for fmt in FORMATS:
        faces.append((f"news feed {fmt}", client.get(f"/api/mmm/feeds/all-news/{fmt}/")))
        faces.append((f"delegation feed {fmt}", client.get(f"/api/mmm/delegations/{deleg.pk}/{fmt}/")))
    return [(name, response.status_code, response.content.decode()) for name, response in faces]


def test_no_hidden_state_leaks_through_any_face_of_either_site(two_sites, client):
    faces = _faces(client, two_sites)
    for name, status, text in faces:
        assert status == 200, name
        assert "VISIBLE-A" in text, name
        for state, page in two_sites["hidden"].items():
            assert page.title not in text, (name, state)
            assert f"/{page.slug}/" not in text, (name, state)


def test_each_hidden_page_answers_404_on_every_face_of_its_own(two_sites, client):
    for state, page in two_sites["hidden"].items():
        assert client.get(f"/api/mmm/news/{page.pk}/").status_code == 404, state
        assert client.get(f"/api/mmm/pages/{page.pk}/").status_code == 404, state
    # The expired item's own URL, before publish_scheduled has run.
    expired = two_sites["hidden"]["expired"]
    assert Page.objects.get(pk=expired.pk).live
    assert client.get(expired.url).status_code == 404


def test_another_sites_delegation_has_no_feed_on_this_host(two_sites, client):
    other = two_sites["other_delegation"]
    for fmt in FORMATS:
        response = client.get(f"/api/mmm/delegations/{other.pk}/{fmt}/")
        assert response.status_code == 404, fmt
        assert response.json()["errors"][0]["parameter"] == "id"
        mine = client.get(f"/api/mmm/delegations/{other.pk}/{fmt}/", HTTP_HOST="other.example")
        assert mine.status_code == 200 and "HIDDEN-OTHER-SITE" in mine.content.decode()


def test_site_b_sees_its_own_news_not_site_as(two_sites, client):
    text = client.get("/api/mmm/feeds/all-news/rss/", HTTP_HOST="other.example").content.decode()
    assert "HIDDEN-OTHER-SITE" in text and "VISIBLE-A" not in text


def test_rich_text_links_to_hidden_pages_lose_their_href(two_sites, client):
    from mmm_wagtail.models import NewsPage

    draft = two_sites["hidden"]["draft"]
    visible = two_sites["visible"]
    body = [
        {
            "type": "paragraph",
            "value": f'<p><a linktype="page" id="{draft.pk}">draft</a> '
            f'<a linktype="page" id="{visible.pk}">visible</a></p>',
        }
    ]
    page = NewsPage.objects.get(pk=visible.pk)
    page.body = body
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert draft.slug not in html and "<a>draft</a>" in html
    assert f'href="{visible.url}">visible</a>' in html or visible.slug in html
    api = client.get(f"/api/mmm/news/{visible.pk}/").content.decode()
    assert draft.slug not in api


def test_a_news_feed_block_lists_only_this_sites_news(two_sites, client):
    """Issue #25, defect 2: the shared feed in a page body (a ``news_feed`` block), rendered
    by site A's server and in the API payload of that body, never lists site B's news."""
    from mmm_wagtail.models import NewsPage

    page = NewsPage.objects.get(pk=two_sites["visible"].pk)
    page.body = [{"type": "news_feed", "value": {"feed": two_sites["feed"].pk, "heading": "FEED-BLOCK"}}]
    page.save_revision().publish()
    other = two_sites["hidden"]["other-site"]

    html = client.get(page.url).content.decode()
    assert "FEED-BLOCK" in html
    assert other.title not in html and f"/{other.slug}/" not in html

    (block,) = get_json(client, f"news/{page.pk}/")["body"]
    assert block["value"]["heading"] == "FEED-BLOCK"
    assert [item["title"] for item in block["value"]["feed"]["items"]] == ["VISIBLE-A"]
    # Site B, rendering the same shared feed in its own page bodies, sees its own news only.
    b_page = NewsPage.objects.get(pk=other.pk)
    b_page.body = page.body.raw_data
    b_page.save_revision().publish()
    b_html = client.get(b_page.url, HTTP_HOST="other.example").content.decode()
    assert "VISIBLE-A" not in b_html.replace(f"/{page.slug}/", "")
    b_api = get_json(client, f"news/{b_page.pk}/", HTTP_HOST="other.example")
    assert [item["title"] for item in b_api["body"][0]["value"]["feed"]["items"]] == ["HIDDEN-OTHER-SITE"]


def test_a_news_feed_preview_lists_only_the_previewing_sites_news(two_sites, rf):
    """The feed snippet's Wagtail preview scopes its items to the site answering the request."""
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/admin/", HTTP_HOST="other.example")
    request.user = AnonymousUser()
    items = two_sites["feed"].get_preview_context(request, "")["items"]
    assert [item.title for item in items] == ["HIDDEN-OTHER-SITE"]
