"""Preview in a headless frontend: the admin's "frontend" mode, tokens and the preview/ endpoint."""

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse

from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage
from mmm_wagtail.preview.models import PreviewState

API = "/api/mmm/"
CLIENT_URL = "{SITE_ROOT_URL}/frontend/"


@pytest.fixture(autouse=True)
def _preview_settings(settings):
    settings.MMM_WAGTAIL = {"PREVIEW_CLIENT_URLS": {"default": CLIENT_URL}}
    cache.clear()


def paragraph(text):
    """Draftail's content state of one paragraph."""
    block = {"key": "a", "type": "unstyled", "text": text, "depth": 0}
    return json.dumps({"blocks": [{**block, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}})


def news_form(page=None, **changes):
    """The news item's edit form as the editor leaves it (body: one paragraph)."""
    data = {
        "title": page.title if page else "",
        "slug": page.slug if page else "",
        "date": str(page.date) if page else "2025-03-01",
        "dateline": page.dateline if page else "",
        "excerpt": page.excerpt if page else "",
        "tags": ", ".join(t.name for t in page.tags.all()) if page else "",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": paragraph("Texte du brouillon."),
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
    }
    if page is not None:
        for delegation in page.related_delegations.all():
            data.setdefault("related_delegations", []).append(str(delegation.pk))
    data.update(changes)
    return data


def open_preview(client, url, data, mode="frontend"):
    """What Wagtail's preview panel does: POST the form, then GET the preview in ``mode``.
    Returns the iframe's URL (the frontend's preview route)."""
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.json()["is_valid"], response.json()
    response = client.get(url, {"mode": mode})
    assert response.status_code == 200, response.content[:500]
    if mode != "frontend":
        return response
    assert "no-store" in response["Cache-Control"]
    src = re.search(r'<iframe src="([^"]+)"', response.content.decode()).group(1)
    return html.unescape(src)


def preview_query(src):
    query = parse_qs(urlsplit(src).query)
    return query["content_type"][0], query["token"][0]


def fetch(client, content_type, token, status=200, **extra):
    response = client.get(API + "preview/", {"content_type": content_type, "token": token, **extra})
    assert response.status_code == status, response.content[:500]
    return response


def edit_preview_url(page):
    return reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))


@pytest.fixture
def news(demo):
    return NewsPage.objects.get(slug="du-local-au-mondial")


def test_frontend_mode_frames_the_client_url_with_content_type_and_token(admin_client, news):
    src = open_preview(admin_client, edit_preview_url(news), news_form(news, title="Titre pas enregistré"))
    assert src.startswith("http://localhost/frontend/?")
    content_type, token = preview_query(src)
    assert content_type == "mmm_wagtail.newspage"
    assert token


def test_preview_endpoint_shows_unsaved_edits_with_the_detail_schema(admin_client, client, news):
    onu = news.get_parent()
    unesco = DelegationPage.objects.get(slug="unesco")
    form = news_form(news, title="Titre pas enregistré", tags="nouveau-mot, éducation")
    form["related_delegations"] = [str(unesco.pk)]
    src = open_preview(admin_client, edit_preview_url(news), form)
    response = fetch(client, *preview_query(src))  # an anonymous client: the frontend
    assert response["Cache-Control"] == "no-store"
    payload = response.json()
    # The same keys as the published detail, the editor's values.
    published = client.get(f"{API}news/{news.pk}/").json()
    assert set(payload) == set(published)
    assert set(payload["meta"]) == set(published["meta"])
    assert payload["id"] == news.pk
    assert payload["title"] == "Titre pas enregistré"
    assert "Texte du brouillon." in payload["body"][0]["value"]
    assert sorted(tag["name"] for tag in payload["tags"]) == ["nouveau-mot", "éducation"]
    assert [d["id"] for d in payload["delegations"]] == [onu.pk, unesco.pk]
    from mmm_wagtail.api.schemas.resources import NewsDetail

    NewsDetail.model_validate(payload)
    # Nothing was saved.
    news.refresh_from_db()
    assert news.title != "Titre pas enregistré"
    assert news.get_latest_revision().as_object().title != "Titre pas enregistré"


def test_never_saved_news_item(admin_client, client, news):
    onu = news.get_parent()
    url = reverse("wagtailadmin_pages:preview_on_add", args=("mmm_wagtail", "newspage", onu.pk))
    src = open_preview(admin_client, url, news_form(title="Jamais enregistrée", slug="jamais"))
    payload = fetch(client, *preview_query(src)).json()
    assert payload["id"] == 0
    assert payload["title"] == "Jamais enregistrée"
    assert payload["meta"]["first_published_at"] is None
    assert payload["meta"]["detail_url"].startswith("http://testserver/api/mmm/preview/?")
    assert [d["id"] for d in payload["delegations"]] == [onu.pk]
    assert payload["translations"] == []
    assert not NewsPage.objects.filter(slug="jamais").exists()


@pytest.mark.parametrize("slug", ["delegations", "onu"])
def test_preview_of_landing_page_and_delegation(admin_client, client, demo, slug):
    page = DelegationIndexPage.objects.filter(slug=slug).first() or DelegationPage.objects.get(slug=slug)
    published = client.get(f"{API}pages/{page.pk}/").json()
    form = {"title": "Brouillon du titre", "slug": page.slug, "body-count": "0"}
    if isinstance(page, DelegationIndexPage):
        form.update(intro=paragraph("Intro"), news_feed=str(page.news_feed_id))
    else:
        form.update(
            {
                name: str(getattr(page, name))
                for name in ("organisation", "acronym", "status", "locations", "summary")
                + ("news_heading", "news_intro", "latest_news_count")
            }
        )
    src = open_preview(admin_client, edit_preview_url(page), form)
    payload = fetch(client, *preview_query(src)).json()
    assert payload["title"] == "Brouillon du titre"
    assert set(payload) == set(published)
    assert payload["meta"]["type"] == published["meta"]["type"]
    assert payload["translations"] == published["translations"]
    for key in ("delegations", "latest_news", "news_feed"):
        assert payload.get(key) == published.get(key)


def test_news_feed_snippet_preview(admin_client, client, demo):
    feed = NewsFeed.objects.get()
    url = reverse("wagtailsnippets_mmm_wagtail_newsfeed:preview_on_edit", args=(feed.pk,))
    form = {
        "title": "Flux en brouillon",
        "slug": feed.slug,
        "intro": feed.intro,
        "delegations": [str(d.pk) for d in feed.delegations.all()],
        "tags": [str(t.pk) for t in feed.tags.all()],
        "item_count": "2",
        "teaser_length": str(feed.teaser_length),
    }
    src = open_preview(admin_client, url, form)
    content_type, token = preview_query(src)
    assert content_type == "mmm_wagtail.newsfeed"
    payload = fetch(client, content_type, token).json()
    published = client.get(f"{API}feeds/{feed.pk}/").json()
    assert payload["title"] == "Flux en brouillon"
    assert payload["items"] == published["items"][:2]


def test_server_rendered_mode_stays(admin_client, news):
    response = open_preview(
        admin_client, edit_preview_url(news), news_form(news, title="Côté serveur"), mode="server"
    )
    assert "Côté serveur" in response.content.decode()
    assert not PreviewState.objects.exists()


def test_preview_modes(settings, news):
    assert [mode for mode, _ in news.preview_modes] == ["frontend", "server"]
    settings.MMM_WAGTAIL = {}  # no client URL: Wagtail's own single mode
    assert [mode for mode, _ in news.preview_modes] == [""]


# -- tokens ------------------------------------------------------------------------------------


@pytest.fixture
def preview_token(admin_client, news):
    src = open_preview(admin_client, edit_preview_url(news), news_form(news, title="Titre secret"))
    return preview_query(src)


def test_expired_token_is_410(client, settings, preview_token):
    from django.core import signing

    content_type, token = preview_token
    settings.MMM_WAGTAIL = {"PREVIEW_CLIENT_URLS": {"default": CLIENT_URL}, "PREVIEW_TOKEN_MAX_AGE": 600}
    # A token issued 601 seconds ago: signing reads the time from the token itself.
    import time

    real = time.time
    try:
        signing.time.time = lambda: real() + 601
        response = fetch(client, content_type, token, status=410)
    finally:
        signing.time.time = real
    assert response["Cache-Control"] == "no-store"
    assert response.json()["errors"][0]["parameter"] == "token"
    assert "Titre secret" not in response.content.decode()
    fetch(client, content_type, token)  # still valid before its time


def test_tampered_token_is_403(client, preview_token):
    content_type, token = preview_token
    payload, rest = token.split(":", 1)
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + rest
    for bad in (forged, token[:-1] + ("x" if token[-1] != "x" else "y"), "nonsense"):
        response = fetch(client, content_type, bad, status=403)
        assert response.json()["errors"][0]["parameter"] == "token"
        assert "Titre secret" not in response.content.decode()


def test_token_of_another_object_or_type_is_refused(admin_client, client, news, preview_token):
    content_type, token = preview_token
    other = NewsPage.objects.exclude(pk=news.pk).first()
    response = fetch(client, content_type, token, status=400, id=other.pk)
    assert response.json()["errors"][0]["parameter"] == "id"
    response = fetch(client, "mmm_wagtail.delegationpage", token, status=400)
    assert response.json()["errors"][0]["parameter"] == "content_type"
    fetch(client, content_type, token, id=news.pk)
    # A state swapped under a valid token (another object's row) is refused too.
    other_src = open_preview(admin_client, edit_preview_url(other), news_form(other))
    _, other_token = preview_query(other_src)
    from mmm_wagtail.preview import tokens

    claims = tokens.read(token, 600)
    other_claims = tokens.read(other_token, 600)
    from django.core import signing

    mixed = signing.dumps({**claims, "s": other_claims["s"]}, salt=tokens.SALT)
    fetch(client, content_type, mixed, status=403)


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({}, "content_type"),
        ({"content_type": "mmm_wagtail.newspage"}, "token"),
        ({"content_type": "wagtailcore.page", "token": "x"}, "content_type"),
        ({"content_type": "mmm_wagtail.newspage", "token": "x", "id": "abc"}, "id"),
        ({"content_type": "mmm_wagtail.newspage", "token": "x", "page": "1"}, "page"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, demo, query, parameter):
    response = client.get(API + "preview/", query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == parameter


def test_preview_never_leaks_into_listings_feeds_or_the_shared_cache(client, news, preview_token):
    content_type, token = preview_token
    # Published answers first, so the shared cache holds them.
    paths = ["news/", f"news/{news.pk}/", f"pages/{news.pk}/", "delegations/", "feeds/"]
    for path in paths:
        client.get(API + path)
    fetch(client, content_type, token)
    for path in paths:
        assert "Titre secret" not in client.get(API + path).content.decode()
    for path in (
        "/api/mmm/feeds/actualite-des-delegations/rss/",
        f"/api/mmm/delegations/{news.get_parent().pk}/rss/",
    ):
        response = client.get(path)
        if response.status_code == 200:
            assert "Titre secret" not in response.content.decode()
    # Nothing of the preview in the shared response cache.
    stored = b"".join(repr(value).encode() for value in cache._cache.values())
    assert b"Titre secret" not in stored
    assert token.encode() not in stored


def test_preview_endpoint_is_in_the_openapi_document(client, db):
    document = client.get(API + "openapi.json").json()
    operation = document["paths"]["/api/mmm/preview/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"content_type", "token", "id"} <= names
    assert {"200", "400", "403", "410"} <= set(operation["responses"])


def test_old_states_are_deleted(admin_client, news, settings):
    settings.MMM_WAGTAIL = {"PREVIEW_CLIENT_URLS": {"default": CLIENT_URL}, "PREVIEW_TOKEN_MAX_AGE": 0}
    open_preview(admin_client, edit_preview_url(news), news_form(news))
    open_preview(admin_client, edit_preview_url(news), news_form(news))
    assert PreviewState.objects.count() == 1


def test_preview_of_a_translation_shows_its_own_language(admin_client, client, demo_multilingual):
    """The English draft of a French news item: English edits, English locale, the French version
    among its translations."""
    french = NewsPage.objects.get(slug="du-local-au-mondial", locale__language_code="fr")
    english = french.get_translation(_locale("en"))
    form = news_form(english, title="English draft title")
    src = open_preview(admin_client, edit_preview_url(english), form)
    payload = fetch(client, *preview_query(src)).json()
    assert payload["title"] == "English draft title"
    assert payload["meta"]["locale"] == "en"
    assert payload["id"] == english.pk
    assert [t["id"] for t in payload["translations"]] == [french.pk]
    assert payload["date_display"] == f"{french.date.day} {french.date:%B %Y}"  # English DATE_FORMATS


def _locale(code):
    from wagtail.models import Locale

    return Locale.objects.get(language_code=code)


def test_a_preview_publishes_nothing_and_saves_no_page(admin_client, client, news):
    """Webhooks and cache purges follow page saves and publications: a preview makes none."""
    from django.db.models.signals import post_save
    from wagtail.models import Page, Revision
    from wagtail.signals import page_published

    seen = []

    def record(sender, **kwargs):
        seen.append(sender)

    page_published.connect(record)
    post_save.connect(record)
    try:
        src = open_preview(admin_client, edit_preview_url(news), news_form(news, title="Pas publié"))
        fetch(client, *preview_query(src))
    finally:
        page_published.disconnect(record)
        post_save.disconnect(record)
    assert not [sender for sender in seen if issubclass(sender, (Page, Revision))]
    assert PreviewState in seen  # the stored state, nothing else of ours


def test_preview_queries_do_not_grow_with_tags_and_delegations(admin_client, client, news):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(**changes):
        src = open_preview(admin_client, edit_preview_url(news), news_form(news, **changes))
        with CaptureQueriesContext(connection) as context:
            fetch(client, *preview_query(src))
        return len(context.captured_queries)

    others = [str(d.pk) for d in DelegationPage.objects.exclude(pk=news.get_parent().pk)]
    assert len(others) > 1
    # Once first: Django's and Wagtail's per-process caches (content types, site root paths)
    # fill on a first use that earlier tests may or may not have made.
    queries(tags="un", related_delegations=others[:1])
    # One of each against many of each: the count must not grow with their number.
    few = queries(tags="un", related_delegations=others[:1])
    many = queries(tags="un, deux, trois, quatre, cinq", related_delegations=others)
    assert few == many, (few, many)


V3 = "/api/v3/mmm/"
needs_v3 = pytest.mark.skipif(not wagtail_v3_available(), reason="Wagtail API v3 is new in Wagtail 8")


@needs_v3
def test_preview_inside_wagtail_api_v3_answers_as_the_standalone_mount(admin_client, client, news):
    src = open_preview(admin_client, edit_preview_url(news), news_form(news, title="Titre en v3"))
    content_type, token = preview_query(src)
    query = {"content_type": content_type, "token": token}
    inside = client.get(V3 + "preview/", query)
    assert inside.status_code == 200, inside.content[:500]
    assert inside["Cache-Control"] == "no-store"
    standalone = fetch(client, content_type, token).json()
    payload = inside.json()
    assert payload["title"] == "Titre en v3"
    assert payload["id"] == news.pk
    # The same payload; only the API's own addresses follow the mount.
    for data in (payload, standalone):
        data["meta"].pop("detail_url")
    assert payload == standalone


@needs_v3
def test_preview_errors_inside_wagtail_api_v3_keep_our_shape(client, news, preview_token):
    content_type, token = preview_token
    missing = client.get(V3 + "preview/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 400
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["errors"][0]["parameter"] == "content_type"
    tampered = client.get(V3 + "preview/", {"content_type": content_type, "token": token[:-2] + "xx"})
    assert tampered.status_code == 403
    assert tampered.json()["errors"][0]["parameter"] == "token"
    other = client.get(V3 + "preview/", {"content_type": "mmm_wagtail.newsfeed", "token": token})
    assert other.status_code == 400
    assert other.json()["errors"][0]["parameter"] == "content_type"
    assert client.post(V3 + "preview/", {"content_type": content_type, "token": token}).status_code == 405


@needs_v3
def test_preview_endpoint_is_in_wagtail_api_v3_openapi_document(client, db):
    document = client.get("/api/v3/openapi.json").json()
    operation = document["paths"]["/api/v3/mmm/preview/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"content_type", "token", "id"} <= names
    assert {"200", "400", "403", "410"} <= set(operation["responses"])
    (media_type,) = operation["responses"]["403"]["content"]
    assert media_type == "application/problem+json"
    assert set(document["paths"]["/api/v3/mmm/preview/"]) == {"get"}
