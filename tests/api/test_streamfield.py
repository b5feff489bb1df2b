"""StreamField bodies are resolved: real URLs, images with renditions, page links, feed items."""

from wagtail.documents import get_document_model
from wagtail.embeds.models import Embed

from mmm_wagtail.models import NewsFeed

from .conftest import get_json, make_image, make_news


def test_every_block_is_resolved(tree, client):
    index, eu, un = tree
    image = make_image("Mothers", size=(1200, 600))
    document = get_document_model().objects.create(title="Report", file="documents/report.pdf")
    feed = NewsFeed.objects.create(locale=index.locale, title="All news", slug="all", item_count=3)
    other = make_news(un, title="Linked")
    draft = make_news(un, publish=False, title="Draft")
    Embed.objects.create(url="https://video.example/1", hash="h1", type="video", html="<iframe></iframe>")
    body = [
        {
            "type": "paragraph",
            "value": (
                f'<p><a linktype="page" id="{other.pk}">linked</a> '
                f'<a linktype="page" id="{draft.pk}">draft</a> '
                f'<a linktype="document" id="{document.pk}">doc</a> '
                '<a href="https://example.org/">ext</a></p>'
            ),
        },
        {"type": "heading", "value": {"text": "Title", "level": "h3"}},
        {"type": "image", "value": {"image": image.pk, "alt_text": "", "caption": "A caption"}},
        {"type": "quote", "value": {"quote": "Q", "attribution": "A"}},
        {"type": "embed", "value": "https://video.example/1"},
        {"type": "document", "value": {"document": document.pk, "title": ""}},
        {"type": "call_to_action", "value": {"text": "Go", "page": other.pk, "url": ""}},
        {"type": "call_to_action", "value": {"text": "Out", "page": None, "url": "https://example.org/"}},
        {"type": "news_feed", "value": {"feed": feed.pk, "heading": ""}},
    ]
    page = make_news(eu, body=body, image=image)
    data = get_json(client, f"news/{page.pk}/")
    blocks = {b["type"] + str(i): b["value"] for i, b in enumerate(data["body"])}
    paragraph = blocks["paragraph0"]
    assert f'<a href="http://localhost/fr{other.url_path[len("/home") :]}">linked</a>' in paragraph
    assert "<a>draft</a>" in paragraph  # a draft's URL never leaves
    assert 'href="http://localhost/documents/' in paragraph and "linktype" not in paragraph
    assert '<a href="https://example.org/">ext</a>' in paragraph
    assert blocks["heading1"] == {"text": "Title", "level": "h3"}
    img = blocks["image2"]
    assert img["alt"] == "Mothers" and img["caption"] == "A caption"
    assert img["image"]["width"] == 1200 and img["image"]["height"] == 600
    assert set(img["image"]["renditions"]) == {"thumbnail", "medium", "large"}
    assert img["image"]["renditions"]["thumbnail"]["width"] == 400
    # The 4:3 crop is left out of the 2:1 image's srcset.
    assert img["image"]["srcset"].endswith(
        "width-800.png 800w, " + img["image"]["renditions"]["large"]["url"] + " 1200w"
    )
    assert blocks["quote3"] == {"quote": "Q", "attribution": "A"}
    assert blocks["embed4"]["html"] == "<iframe></iframe>"
    assert blocks["document5"]["document"]["title"] == "Report"
    assert blocks["document5"]["title"] == "Report"
    assert blocks["call_to_action6"]["page"] == {
        "id": other.pk,
        "title": "Linked",
        "url": blocks["call_to_action6"]["url"],
        "locale": "fr",
    }
    assert blocks["call_to_action7"] == {"text": "Out", "page": None, "url": "https://example.org/"}
    feed_value = blocks["news_feed8"]
    assert feed_value["heading"] == "All news"
    assert [i["title"] for i in feed_value["feed"]["items"]] == [
        page.title,
        "Linked",
    ]  # same date: newest id first
    assert data["image"]["renditions"]["large"]["width"] == 1200  # width-1600 never upscales


def test_links_point_to_the_requested_locale_translation(tree, client, locale_en):
    index, eu, un = tree
    target = make_news(un, title="Target")
    home_en = index.get_parent().copy_for_translation(locale_en)
    home_en.save_revision().publish()
    for page in (index, un):
        page.copy_for_translation(locale_en).save_revision().publish()
    eu_en = eu.copy_for_translation(locale_en)
    eu_en.save_revision().publish()
    target_en = target.copy_for_translation(locale_en)
    target_en.save_revision().publish()
    body = [{"type": "call_to_action", "value": {"text": "Go", "page": target.pk, "url": ""}}]
    source = make_news(eu_en, body=body, title="English source")
    data = get_json(client, f"news/{source.pk}/")
    assert data["body"][0]["value"]["page"]["id"] == target_en.pk
    assert data["body"][0]["value"]["page"]["locale"] == "en"
