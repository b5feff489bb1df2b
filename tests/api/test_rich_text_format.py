"""``rich_text_format``: HTML by default, Portable Text on request, on every endpoint that returns
rich text; a bad value is a 400 naming it; each format is its own cached response."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.embeds.models import Embed
from wagtail.models import Page

from mmm_wagtail.api.schemas import resources
from mmm_wagtail.cache import dependency_tags
from tests import db_snapshot
from tests.test_preview import CLIENT_URL, edit_preview_url, fetch, news_form, open_preview, preview_query

from .conftest import API, get_json, make_image, make_news

PT = {"rich_text_format": "portable_text"}


def _build_pages(tree_pks):
    index, eu, un = (Page.objects.get(pk=pk).specific for pk in tree_pks)
    target = make_news(un, title="Target")
    paragraph = {
        "type": "paragraph",
        "value": f'<p data-block-key="k">See <a linktype="page" id="{target.pk}">the target</a>.</p>',
    }
    news = make_news(eu, title="With text", body=[paragraph])
    eu.body = [paragraph]
    eu.save_revision().publish()
    index.intro = f'<p>Intro <b>bold</b> <a linktype="page" id="{target.pk}">link</a></p>'
    index.body = [paragraph]
    index.save_revision().publish()
    return {"index": index.pk, "delegation": eu.pk, "news": news.pk, "target": target.pk}


@pytest.fixture(scope="session")
def _pages_rows(django_db_setup, django_db_blocker, _tree_rows):
    with django_db_blocker.unblock():  # once per worker, on the API tests' tree (tests/db_snapshot.py)
        return db_snapshot.Snapshot.of(lambda: _build_pages(_tree_rows.value), base=_tree_rows)


@pytest.fixture
def pages(tree, _pages_rows):
    """A news item whose body links to another, the delegation's body and the landing page's intro
    with the same paragraph: every endpoint that returns rich text has some."""
    _pages_rows.restore()
    return {name: Page.objects.get(pk=pk).specific for name, pk in _pages_rows.value.items()}


def endpoints(pages):
    news, delegation, index = pages["news"], pages["delegation"], pages["index"]
    return {
        f"news/{news.pk}/": resources.NewsDetail,
        f"delegations/{delegation.pk}/": resources.DelegationDetail,
        f"pages/{index.pk}/": resources.DelegationIndex,
        f"pages/{news.pk}/": resources.NewsDetail,
        "pages/find/?path=/deleg/": resources.DelegationIndex,
    }


def _with(path, query):
    return path + ("&" if "?" in path else "?") + query


def paragraph_of(data):
    return next(block["value"] for block in data["body"] if block["type"] == "paragraph")


def test_each_endpoint_gives_html_by_default_and_the_tree_on_request(pages, client):
    target = pages["target"]
    for path, schema in endpoints(pages).items():
        as_html = get_json(client, path)
        explicit = get_json(client, _with(path, "rich_text_format=html"))
        as_tree = get_json(client, _with(path, "rich_text_format=portable_text"))
        schema.model_validate(as_html)
        schema.model_validate(as_tree)
        assert explicit == as_html
        assert isinstance(paragraph_of(as_html), str) and 'href="http' in paragraph_of(as_html)
        (block,) = paragraph_of(as_tree)
        (mark,) = block["markDefs"]
        assert mark["_type"] == "pageLink" and mark["page"]["id"] == target.pk
        assert mark["page"]["url"] == mark["href"] and mark["page"]["locale"] == "fr"
        assert mark["href"] in paragraph_of(as_html)
        assert [child["text"] for child in block["children"]] == ["See ", "the target", "."]
        # Everything else is the same response.
        assert {k: v for k, v in as_tree.items() if k not in ("body", "intro")} == {
            k: v for k, v in as_html.items() if k not in ("body", "intro")
        }


def test_the_landing_pages_intro_follows_the_format(pages, client):
    index = pages["index"]
    assert get_json(client, f"pages/{index.pk}/")["intro"].startswith("<p>Intro <b>bold</b>")
    (block,) = get_json(client, f"pages/{index.pk}/?rich_text_format=portable_text")["intro"]
    assert [(c["text"], c["marks"]) for c in block["children"]][:2] == [("Intro ", []), ("bold", ["strong"])]


@pytest.mark.parametrize("value", ["", "json", "HTML", "portable_text\n", "markdown"])
def test_a_bad_format_is_a_400_naming_the_parameter(pages, client, value):
    for path in endpoints(pages):
        response = client.get(API + _with(path, urlencode({"rich_text_format": value})))
        assert response.status_code == 400, path
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["errors"][0]["parameter"] == "rich_text_format"
    response = client.get(
        API + _with(f"news/{pages['news'].pk}/", "rich_text_format=html&rich_text_format=html")
    )
    assert response.status_code == 400 and response.json()["errors"][0]["parameter"] == "rich_text_format"


def test_listings_without_rich_text_do_not_take_it(pages, client):
    response = client.get(API + "news/", PT)
    assert response.status_code == 400 and response.json()["errors"][0]["parameter"] == "rich_text_format"


def test_both_formats_cost_the_same_queries(pages, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}  # every request builds its response
    path = API + f"news/{pages['news'].pk}/"
    counts = []
    for query in ({}, PT):
        client.get(path, query)  # Django's own caches (content types, sites) warm
    for query in ({}, PT):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, query).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] > 3, counts


def test_each_format_is_its_own_cache_entry_with_its_own_etag(pages, client):
    path = API + f"news/{pages['news'].pk}/"
    first_html = client.get(path)
    first_tree = client.get(path, PT)
    assert first_html["ETag"] != first_tree["ETag"]
    assert first_html.content != first_tree.content
    # Hits: each format answers from its own entry, with its own body.
    again_html, again_tree = client.get(path), client.get(path, PT)
    assert again_html.content == first_html.content and again_tree.content == first_tree.content
    assert client.get(path, PT, HTTP_IF_NONE_MATCH=first_html["ETag"]).status_code == 200
    assert client.get(path, PT, HTTP_IF_NONE_MATCH=first_tree["ETag"]).status_code == 304


def test_the_tree_depends_on_the_pages_it_links_and_a_change_to_them_refreshes_it(pages, client):
    target = pages["target"]
    path = API + f"news/{pages['news'].pk}/"
    response = client.get(path, PT)
    assert dependency_tags.page(target.pk) in [tag.strip() for tag in response["Cache-Tag"].split(",")]
    assert paragraph_of(response.json())[0]["markDefs"]
    target.unpublish()
    (block,) = paragraph_of(client.get(path, PT).json())
    assert block["markDefs"] == [] and [c["text"] for c in block["children"]] == ["See the target."]
    assert "<a>the target</a>" in paragraph_of(client.get(path).json())


def test_preview_takes_the_format(pages, admin_client, settings):
    settings.MMM_WAGTAIL = {"PREVIEW_CLIENT_URLS": {"default": CLIENT_URL}}
    news = pages["news"]
    src = open_preview(admin_client, edit_preview_url(news), news_form(news))
    content_type, token = preview_query(src)
    as_html = fetch(admin_client, content_type, token).json()
    as_tree = fetch(admin_client, content_type, token, rich_text_format="portable_text").json()
    assert paragraph_of(as_html) == '<p data-block-key="a">Texte du brouillon.</p>'
    (block,) = paragraph_of(as_tree)
    assert block["_key"] == "a" and block["children"][0]["text"] == "Texte du brouillon."
    resources.NewsDetail.model_validate(as_tree)
    bad = fetch(admin_client, content_type, token, status=400, rich_text_format="xml").json()
    assert bad["errors"][0]["parameter"] == "rich_text_format"


def test_the_openapi_document_types_the_parameter_and_the_tree(client):
    document = client.get(API + "openapi.json").json()
    for path in ("news/{id}/", "delegations/{id}/", "pages/{id}/", "pages/find/", "preview/"):
        operation = document["paths"][API + path]["get"]
        (param,) = [p for p in operation["parameters"] if p["name"] == "rich_text_format"]
        assert param["schema"]["enum"] == ["html", "portable_text"] and param["schema"]["default"] == "html"
    schemas = document["components"]["schemas"]
    value = schemas["ParagraphBlock"]["properties"]["value"]
    kinds = {entry.get("type") for entry in value["anyOf"]}
    assert kinds == {"string", "array"}
    items = next(entry for entry in value["anyOf"] if entry.get("type") == "array")["items"]
    assert items["discriminator"]["propertyName"] == "_type"
    assert set(items["discriminator"]["mapping"]) == {"block", "image", "embed"}
    block = schemas["TextBlock"]
    assert {"_type", "_key", "style", "markDefs", "children", "listItem", "level"} == set(block["properties"])
    marks = block["properties"]["markDefs"]["items"]
    assert set(marks["discriminator"]["mapping"]) == {"link", "pageLink", "documentLink"}


@pytest.mark.parametrize("query", [{}, PT])
def test_a_cached_response_in_either_format_follows_the_pages_it_links(pages, client, query):
    # An HTML string does not show the linked page's id: the resolver declares it.
    target = pages["target"]
    draft = make_news(pages["delegation"], publish=False, title="Draft")
    paragraph = {
        "type": "paragraph",
        "value": f'<p><a linktype="page" id="{target.pk}">a</a> <a linktype="page" id="{draft.pk}">b</a></p>',
    }
    news = make_news(pages["delegation"], title="Links", body=[paragraph])
    path = API + f"news/{news.pk}/"

    def links():
        value = paragraph_of(client.get(path, query).json())
        if isinstance(value, str):
            return value.count("href=")
        return len(value[0]["markDefs"])

    response = client.get(path, query)
    assert {dependency_tags.page(target.pk), dependency_tags.page(draft.pk)} <= {
        t.strip() for t in response["Cache-Tag"].split(",")
    }
    assert links() == 1
    target.unpublish()  # its URL must not stay in the cached response
    assert links() == 0
    draft.save_revision().publish()
    assert links() == 1


def test_documents_images_and_media_embeds_are_typed_in_the_tree(tree, client):
    _, eu, _ = tree
    image = make_image("Inline", size=(800, 400))
    document = get_document_model().objects.create(title="Report", file="documents/report.pdf")
    Embed.objects.create(url="https://video.example/1", hash="h1", type="video", html="<iframe></iframe>")
    source = (
        f'<p>Read <a linktype="document" id="{document.pk}">the report</a>.</p>'
        f'<embed embedtype="image" id="{image.pk}" alt="Inline alt" format="left"/>'
        '<embed embedtype="media" url="https://video.example/1"/>'
        '<embed embedtype="media" url="https://video.example/unfetched"/>'
    )
    news = make_news(eu, body=[{"type": "paragraph", "value": source}])
    as_html = paragraph_of(get_json(client, f"news/{news.pk}/"))
    text, picture, video, unfetched = paragraph_of(
        get_json(client, f"news/{news.pk}/?rich_text_format=portable_text")
    )
    (mark,) = text["markDefs"]
    assert mark["_type"] == "documentLink" and mark["document"]["id"] == document.pk
    assert mark["href"] == mark["document"]["url"] and f'href="{mark["href"]}"' in as_html
    assert picture["_type"] == "image" and picture["alt"] == "Inline alt" and picture["format"] == "left"
    assert picture["image"]["id"] == image.pk and f'src="{picture["image"]["url"]}"' in as_html
    assert video["_type"] == "embed" and video["html"] == "<iframe></iframe>"
    assert unfetched["_type"] == "embed" and unfetched["html"] is None  # the API never calls a provider
    assert "video.example" not in as_html  # the HTML format leaves media embeds out, as before
