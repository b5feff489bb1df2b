"""The indexes an import puts off to the end of its run (mmm_wagtail/wordpress/upkeep.py) are
right afterwards, with Wagtail's internals it pauses and without them (the fallback)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex

from mmm_wagtail.cache import receivers as cache_receivers
from mmm_wagtail.listing import rows
from mmm_wagtail.models import ContentTag, NewsListing, NewsPage
from mmm_wagtail.wordpress import upkeep

from . import wxr
from .test_import import EUROPE, news, pair_export


@pytest.fixture(params=["paused", "fallback"])
def mode(request, monkeypatch):
    if request.param == "fallback":
        monkeypatch.setattr(upkeep, "_search_receiver", lambda: None)
        monkeypatch.setattr(upkeep, "_reference_switch", lambda: None)
    return request.param


def imported_images():
    """The images the import made (the demo content it runs beside has its own)."""
    return get_image_model().objects.exclude(file__startswith="original_images/demo-")


def imported_documents():
    return get_document_model().objects.exclude(file__startswith="documents/demo-")


def searched(text):
    return {hit.pk for hit in NewsPage.objects.search(text)}


def listed(ids):
    return dict(NewsListing.objects.filter(page_id__in=ids).values_list("page_id", "language"))


def test_search_reference_index_and_listing_are_right_after_a_run(run_import, mode):
    content = (
        '<p>Une crèche coopérative.</p>[caption id="attachment_900" width="8"]<img class="wp-image-900" '
        f'src="{wxr.BASE}/wp-content/uploads/2024/12/mav.png" alt="" /> Légende[/caption]'
    )
    items = [
        wxr.attachment(900, "2024/12/mav.png", title="MAV"),
        wxr.post(401, "Crèches coopératives", content, categories=EUROPE, meta={"_thumbnail_id": 900}),
        wxr.post(402, "Brouillon sur les crèches", "<p>x</p>", categories=EUROPE, status="draft"),
    ]
    run_import(wxr.export(items))
    page, draft = news(401), news(402)

    assert page.pk in searched("coopératives")
    assert draft.pk in searched("brouillon")
    image = imported_images().get()
    referring = {ref.object_id for ref in ReferenceIndex.get_references_to(image)}
    assert referring == {str(page.pk)}
    assert listed([page.pk, draft.pk]) == {page.pk: "fr"}
    call_command("rebuild_news_listing", "--check", verbosity=0)

    # After the run, a save keeps the search index up to date again by itself.
    page.title = "Jardins partagés"
    page.save_revision().publish()
    assert page.pk in searched("jardins")


def test_translations_and_their_rows_after_a_run(run_import, mode):
    run_import(pair_export())
    source, translation = news(101), news(102)
    assert source.translation_key == translation.translation_key
    assert listed([source.pk, translation.pk]) == {source.pk: "fr", translation.pk: "en"}
    assert translation.pk in searched("families")
    assert source.pk not in searched("families")


def test_after_a_run_the_caches_the_listing_and_the_indexes_agree(run_import, client, mode):
    url = "/api/mmm/news/?locale=fr&limit=100"
    client.get(url)
    assert client.get(url).mmm_cache_hit  # cached before the import
    # No tag, no image: nothing but the news pages themselves changes the cached answer.
    items = [
        wxr.post(411, "Jardins d'enfants", "<p>Une coopérative.</p>", categories=EUROPE),
        wxr.post(412, "Suite", f"<p><a href='{wxr.BASE}/?p=411'>La coopérative</a></p>", categories=EUROPE),
    ]
    run_import(wxr.export(items))
    fresh = client.get(url)
    assert not fresh.mmm_cache_hit
    page, linking = news(411), news(412)
    assert {page.pk, linking.pk} <= {item["id"] for item in fresh.json()["items"]}
    assert rows.drift() == []
    assert page.pk in searched("coopérative")
    referring = {ref.object_id for ref in ReferenceIndex.get_references_to(page)}
    assert referring == {str(linking.pk)}


def _version_queries(run_import, posts):
    items = [wxr.post(900 + n, f"Actualité {n}", "<p>x</p>", categories=EUROPE) for n in range(posts)]
    table = ContentTag._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        run_import(wxr.export(items))
    return sum(table in query["sql"] for query in queries.captured_queries)


def test_the_caches_change_once_per_run_whatever_its_size(run_import):
    # Each page write used to bump the versions of its tags (a query or two per post).
    assert _version_queries(run_import, 2) == _version_queries(run_import, 6) > 0


def test_changes_held_before_an_error_are_still_made(run_import, client):
    """A caller may catch the error and commit what was written before it: its changes are made."""
    run_import(wxr.export([wxr.post(421, "Première", "<p>x</p>", categories=EUROPE)]))
    url = "/api/mmm/news/?locale=fr&limit=100"
    client.get(url)
    assert client.get(url).mmm_cache_hit
    page = news(421)
    with pytest.raises(RuntimeError), cache_receivers.deferred():
        page.title = "Renommée"
        page.save_revision().publish()
        raise RuntimeError
    fresh = client.get(url)
    assert not fresh.mmm_cache_hit
    assert "Renommée" in {item["title"] for item in fresh.json()["items"]}
