"""The indexes an import puts off to the end of its run (mmm_wagtail/wordpress/upkeep.py) are
right afterwards, with Wagtail's internals it pauses and without them (the fallback)."""

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex

from mmm_wagtail.models import NewsListing, NewsPage
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
