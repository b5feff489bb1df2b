"""A page's public URL is Wagtail's (``Page.get_url_parts``), in the API, the feeds and the
templates alike (issue #25, defect 4): with ``WAGTAIL_APPEND_SLASH = False`` and for a page
type that overrides ``get_url_parts``."""

import re

import pytest
import wagtail.models.pages
from django.test import RequestFactory
from wagtail.models import Page

from tests.urlapp.models import RoutedPage

from .conftest import get_json, make_news


def _request():
    return RequestFactory().get("/", HTTP_HOST="localhost")


@pytest.fixture
def no_append_slash(monkeypatch):
    # Wagtail reads WAGTAIL_APPEND_SLASH once, at import (wagtail.coreutils), into the name
    # its get_url_parts reads: override_settings cannot reach it, so the test sets that name.
    monkeypatch.setattr(wagtail.models.pages, "WAGTAIL_APPEND_SLASH", False)


def test_without_append_slash_api_feeds_and_templates_give_wagtails_url(tree, client, no_append_slash):
    index, eu, _ = tree
    page = make_news(eu, title="Sans barre")
    wagtails = Page.objects.get(pk=page.pk).specific.get_full_url(_request())
    assert not wagtails.endswith("/")

    card = get_json(client, "news/")["items"][0]
    assert card["meta"]["html_url"] == wagtails
    assert get_json(client, f"news/{page.pk}/")["meta"]["html_url"] == wagtails
    delegation = get_json(client, f"delegations/{eu.pk}/")
    assert delegation["meta"]["html_url"] == eu.get_full_url(_request())
    assert delegation["latest_news"][0]["meta"]["html_url"] == wagtails

    rss = client.get(f"/api/mmm/delegations/{eu.pk}/rss/").content.decode()
    assert f"<link>{wagtails}</link>" in rss
    # Wagtail's URL pattern was built at import, with the slash: follow Django's redirect.
    html = client.get(eu.get_url(_request()), follow=True).content.decode()
    assert f'href="{page.get_url(_request())}"' in html and "Sans barre" in html


def test_a_link_to_a_page_type_with_its_own_urls_is_that_types_url(tree, client):
    index, eu, _ = tree
    routed = index.get_parent().add_child(instance=RoutedPage(title="Routed", slug="routed"))
    wagtails = Page.objects.get(pk=routed.pk).specific.get_full_url(_request())
    assert wagtails.endswith(f"/routed/{routed.pk}/")
    page = make_news(eu, title="Liens")
    page.body = [
        {"type": "paragraph", "value": f'<p><a linktype="page" id="{routed.pk}">routed</a></p>'},
        {"type": "call_to_action", "value": {"text": "Go", "page": routed.pk, "url": ""}},
    ]
    page.save_revision().publish()

    paragraph, cta = get_json(client, f"news/{page.pk}/")["body"]
    assert re.search(r'href="([^"]+)"', paragraph["value"]).group(1) == wagtails
    assert cta["value"]["url"] == cta["value"]["page"]["url"] == wagtails
    html = client.get(page.url).content.decode()
    assert f'href="{routed.get_url(_request())}"' in html
