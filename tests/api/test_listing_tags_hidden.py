"""Issue #20, item 7: a tag only drafts or hidden news carry answers as an unknown tag does
(404 naming ``tag``): its existence says nothing about unpublished content."""

from wagtail.models import PageViewRestriction

from .conftest import get_json, make_news


def _answer(client, slug):
    response = client.get(f"/api/mmm/news/?tag={slug}")
    body = response.json()
    return response.status_code, [error["parameter"] for error in body.get("errors", [])]


def test_a_tag_of_drafts_or_hidden_news_answers_like_an_unknown_tag(tree, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None}
    _, eu, un = tree
    unknown = _answer(client, "nowhere")
    assert unknown == (404, ["tag"])
    make_news(eu, publish=False, tags=["brouillon"])
    assert _answer(client, "brouillon") == unknown
    # Carried by a published item under a restricted delegation: hidden too.
    make_news(un, tags=["secret"])
    PageViewRestriction.objects.create(page=un, restriction_type=PageViewRestriction.LOGIN)
    assert _answer(client, "secret") == unknown
    # Once a public item carries it, the tag lists it.
    make_news(eu, tags=["brouillon"])
    assert _answer(client, "brouillon") == (200, [])
    assert get_json(client, "news/?tag=brouillon")["count"] == 1
