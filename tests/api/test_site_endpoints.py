"""``site/``, ``sitemap/`` and ``redirects/``: what a frontend builds its routes, sitemap.xml
and redirects from; only what a reader may get, in constant queries, fresh after changes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site

from mmm_wagtail.api.schemas.site import RedirectList, SiteInfo, Sitemap
from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available

from .conftest import get_json, make_news

# Wagtail 7.4 has no API v3.
MOUNTS = ["/api/mmm/", *(["/api/v3/mmm/"] if wagtail_v3_available() else [])]


def _get(client, mount, path, status=200):
    response = client.get(mount + path)
    assert response.status_code == status, response.content[:500]
    return response.json()


@pytest.mark.parametrize("mount", MOUNTS)
def test_site_names_its_languages_and_home_pages(demo_multilingual, client, mount):
    data = SiteInfo.model_validate(_get(client, mount, "site/"))
    assert data.default_locale == "fr"
    assert data.name == "Make Mothers Matter"  # WAGTAIL_SITE_NAME: the Site has no name
    assert [(lang.code, lang.default, lang.home.path) for lang in data.languages] == [
        ("fr", True, "/fr/"),
        ("en", False, "/en/"),
    ]
    root = Site.objects.get(is_default_site=True).root_page
    assert data.languages[0].home.id == root.pk
    assert data.api_url == "http://localhost" + mount


def test_a_home_page_translation_published_later_shows_in_site(home, locale_en, client):
    assert [lang["code"] for lang in get_json(client, "site/")["languages"]] == ["fr"]
    home.copy_for_translation(locale_en).save_revision().publish()
    assert [lang["code"] for lang in get_json(client, "site/")["languages"]] == ["fr", "en"]


def _sitemap_paths(client, locale="fr", mount="/api/mmm/"):
    data = Sitemap.model_validate(_get(client, mount, f"sitemap/?locale={locale}"))
    assert data.count == len(data.items)
    return {item.path: item for item in data.items}


@pytest.mark.parametrize("mount", MOUNTS)
def test_sitemap_lists_every_readable_page_with_its_translations(demo_multilingual, client, mount):
    fr = _sitemap_paths(client, "fr", mount)
    en = _sitemap_paths(client, "en", mount)
    expected_fr = {
        page.pk for page in Page.objects.live().public().filter(locale__language_code="fr", depth__gt=1)
    }
    assert {item.id for item in fr.values()} == expected_fr
    assert "/fr/" in fr and "/fr/delegations/" in fr
    landing = fr["/fr/delegations/"]
    assert landing.type == "mmm_wagtail.DelegationIndexPage"
    assert [(t.locale, t.path) for t in landing.translations] == [("en", "/en/delegations/")]
    assert en["/en/delegations/"].translations[0].id == landing.id
    # Paths are the pages' own slugs, not percent-encoded; html_url is the encoded URL.
    for path, item in fr.items():
        assert item.html_url.endswith(path.encode("utf-8").decode() if "%" not in path else path) or "%" in (
            item.html_url
        )
        assert item.last_published_at is not None or item.type == "wagtailcore.Page"


def test_sitemap_paths_of_accented_slugs_are_decoded(tree, client):
    _, eu, _ = tree
    page = make_news(eu, slug="journée-à-genève")
    item = next(i for i in get_json(client, "sitemap/")["items"] if i["id"] == page.pk)
    assert item["path"] == "/fr/deleg/eu/journée-à-genève/"
    assert item["html_url"].endswith("/fr/deleg/eu/journ%C3%A9e-%C3%A0-gen%C3%A8ve/")


def test_sitemap_leaves_out_what_a_reader_may_not_get(tree, client):
    index, eu, un = tree
    shown = make_news(eu)
    draft = make_news(eu, publish=False)
    expired = make_news(eu)
    expired.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    expired.save()
    scheduled = make_news(eu, publish=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    private = make_news(un)
    PageViewRestriction.objects.create(page=un, restriction_type="login")
    alias = shown.create_alias(parent=un)  # also private: under un
    ids = {item["id"] for item in get_json(client, "sitemap/")["items"]}
    assert shown.pk in ids and eu.pk in ids and index.pk in ids
    for hidden in (draft, expired, scheduled, private, un, alias):
        assert hidden.pk not in ids


def test_sitemap_follows_publish_and_unpublish_through_its_cache(tree, client):
    _, eu, _ = tree
    before = get_json(client, "sitemap/")["count"]
    page = make_news(eu)
    assert page.pk in [i["id"] for i in get_json(client, "sitemap/")["items"]]
    page.unpublish()
    data = get_json(client, "sitemap/")
    assert data["count"] == before and page.pk not in [i["id"] for i in data["items"]]


def test_sitemap_of_another_site_stays_out(tree, client):
    index, eu, _ = tree
    other_root = Page.get_first_root_node().add_child(instance=Page(title="Other", slug="other"))
    other_root.add_child(instance=Page(title="Elsewhere", slug="elsewhere"))
    Site.objects.create(hostname="other.example", root_page=other_root)
    ids = {item["id"] for item in get_json(client, "sitemap/")["items"]}
    assert other_root.pk not in ids
    other = {item["title"] for item in get_json(client, "sitemap/", HTTP_HOST="other.example")["items"]}
    assert other == {"Other", "Elsewhere"}


def _queries(client, path):
    """The queries of a response built afresh (not from the response cache), once what a
    process reads after a change (the versions' schedule, the sites) is read."""
    from django.core.cache import cache

    from mmm_wagtail.cache import versions

    client.get("/api/mmm/" + path)
    versions.forget_schedule()
    cache.clear()
    client.get("/api/mmm/site/")
    versions.forget_schedule()
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/mmm/" + path)
    assert response.status_code == 200
    return len(captured)


def test_sitemap_and_redirects_take_constant_queries(demo_multilingual, client):
    small = _queries(client, "sitemap/?limit=2")
    large = _queries(client, "sitemap/?limit=1000")
    assert small == large
    one = _queries(client, "redirects/?limit=1")
    assert one == _queries(client, "redirects/")
    root = Site.objects.get(is_default_site=True).root_page
    for number in range(20):
        Redirect.add_redirect(f"/old-{number}", redirect_to=root)
    assert _queries(client, "redirects/") == one


def test_sitemap_paginates(demo_multilingual, client):
    first = get_json(client, "sitemap/?limit=2")
    assert len(first["items"]) == 2 and first["previous"] is None
    # Without an offset, the next page starts at a cursor (tree order, read from the position).
    assert first["next"].startswith("http://localhost/api/mmm/sitemap/?cursor=")
    assert first["next"].endswith("&limit=2")
    ids, url = [], "sitemap/?limit=2"
    while url:
        page = get_json(client, url)
        ids += [item["id"] for item in page["items"]]
        url = page["next"] and page["next"].removeprefix("http://localhost/api/mmm/")
    assert ids == [item["id"] for item in get_json(client, "sitemap/")["items"]]
    assert len(ids) == first["count"] > 2
    by_offset = get_json(client, "sitemap/?limit=2&offset=2")
    assert by_offset["next"] == "http://localhost/api/mmm/sitemap/?limit=2&offset=4"
    assert [item["id"] for item in by_offset["items"]] == ids[2:4]
    # Back from the second page: the first again, with no page before it.
    second = get_json(client, first["next"].removeprefix("http://localhost/api/mmm/"))
    back = get_json(client, second["previous"].removeprefix("http://localhost/api/mmm/"))
    assert [item["id"] for item in back["items"]] == ids[:2] and back["previous"] is None


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("offset=-1", "offset"),
        ("locale=de", "locale"),
        ("x=1", "x"),
        ("cursor=garbage", "cursor"),
        ("cursor=a%20b", "cursor"),
    ],
)
def test_bad_parameters_are_400s_naming_them(home, client, query, parameter):
    for path in ("sitemap/", "redirects/") if parameter != "locale" else ("sitemap/",):
        data = get_json(client, f"{path}?{query}", status=400)
        assert data["errors"][0]["parameter"] == parameter


@pytest.mark.parametrize("mount", MOUNTS)
def test_redirects_of_the_site_and_of_all_sites(tree, client, mount):
    _, eu, un = tree
    page = make_news(eu, slug="nouvelle")
    other_root = Page.get_first_root_node().add_child(instance=Page(title="Other", slug="other"))
    other = Site.objects.create(hostname="other.example", root_page=other_root)
    default = Site.objects.get(is_default_site=True)
    Redirect.add_redirect("/ancienne", redirect_to=page, site=default)
    Redirect.add_redirect("/partout", redirect_to="https://example.org/ailleurs", is_permanent=False)
    Redirect.add_redirect("/ici-seulement", redirect_to="https://example.org/general")
    Redirect.add_redirect("/ici-seulement", redirect_to=un, site=default)  # the site's own wins
    Redirect.add_redirect("/autre-site", redirect_to=page, site=other)
    Redirect.add_redirect("/avec-route", redirect_to=eu, page_route_path="/rss/", site=default)
    data = RedirectList.model_validate(_get(client, mount, "redirects/"))
    found = {item.old_path: item for item in data.items}
    assert set(found) == {"/ancienne", "/partout", "/ici-seulement", "/avec-route"}
    assert data.count == 4
    assert found["/ancienne"].location == "/fr/deleg/eu/nouvelle/"
    assert found["/ancienne"].page.id == page.pk and found["/ancienne"].is_permanent
    assert found["/partout"].location == "https://example.org/ailleurs"
    assert not found["/partout"].is_permanent and not found["/partout"].site_specific
    assert found["/ici-seulement"].location == "/fr/deleg/un/" and found["/ici-seulement"].site_specific
    assert found["/avec-route"].location == "/fr/deleg/eu/rss/"


def test_a_redirect_to_a_page_a_reader_may_not_get_is_left_out(tree, client):
    _, eu, un = tree
    draft = make_news(eu, slug="brouillon-secret", publish=False)
    private = make_news(un, slug="privee")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    expired = make_news(eu, slug="expiree", expire_at=timezone.now() + datetime.timedelta(days=1))
    shown = make_news(eu, slug="visible")
    for page in (draft, private, expired, shown):
        Redirect.add_redirect(f"/vers-{page.slug}", redirect_to=page)
    Expired = type(expired)
    Expired.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(seconds=1))
    body = client.get("/api/mmm/redirects/").content.decode()
    assert "brouillon-secret" not in body and "privee" not in body and "expiree" not in body
    assert [item["old_path"] for item in get_json(client, "redirects/")["items"]] == ["/vers-visible"]


def test_redirects_follow_changes_through_their_cache(tree, client):
    _, eu, _ = tree
    page = make_news(eu, slug="cible")
    assert get_json(client, "redirects/")["count"] == 0
    redirect = Redirect.add_redirect("/ancienne", redirect_to=page)
    assert get_json(client, "redirects/")["count"] == 1
    page.unpublish()  # its target goes: so does the redirect
    assert get_json(client, "redirects/")["count"] == 0
    page.save_revision().publish()
    assert get_json(client, "redirects/")["count"] == 1
    redirect.delete()
    assert get_json(client, "redirects/")["count"] == 0
