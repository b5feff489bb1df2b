"""The source of an imported pair gets the segments wagtail-localize itself would extract
(mmm_wagtail/wordpress/sources.py), written in bulk or, without the internals that takes,
by wagtail-localize's ``get_or_create_from_instance`` (the fallback)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    StringSegment,
    TemplateSegment,
    Translation,
    TranslationContext,
    TranslationSource,
)

from mmm_wagtail.wordpress import sources

from . import wxr
from .test_import import EUROPE, news

UPLOADS = f"{wxr.BASE}/wp-content/uploads/2024/12"
BODY = (
    '<!-- wp:heading {"level":3} --><h3>Un titre</h3><!-- /wp:heading -->'
    f'<!-- wp:paragraph --><p>Voir <a href="{wxr.BASE}/?p=602">la suite</a>, <b>gras</b> et '
    '<a href="https://example.org/">ceci</a>.</p><!-- /wp:paragraph -->'
    "<!-- wp:paragraph --><p>Citation</p><!-- /wp:paragraph -->"
    "<!-- wp:quote --><blockquote><p>Citation</p><cite>MMM</cite></blockquote><!-- /wp:quote -->"
    '[caption id="attachment_900" width="8"]<img class="wp-image-900" '
    f'src="{UPLOADS}/mav.png" alt="" /> Une légende[/caption]'
    "\n\n[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]"
    f'<!-- wp:file --><div class="wp-block-file"><a href="{UPLOADS}/rapport.pdf">Rapport</a></div>'
    "<!-- /wp:file -->"
)


@pytest.fixture(params=["bulk", "fallback"])
def mode(request, monkeypatch):
    if request.param == "fallback":
        monkeypatch.setattr(sources, "_bulk_available", lambda: False)
    return request.param


def pair(**kw):
    items = [
        wxr.attachment(900, "2024/12/mav.png", title="MAV", alt="Une mère"),
        wxr.post(
            601,
            "Tous les blocs",
            BODY,
            categories=EUROPE,
            language="fr",
            group="pll_6",
            excerpt="Résumé",
            meta={"_thumbnail_id": 900, "dateline": "Bruxelles"},
            **kw,
        ),
        wxr.post(
            602, "All the blocks", "<p>Its own text.</p>", categories=EUROPE, language="en", group="pll_6"
        ),
    ]
    return wxr.export(items)


def segments(source, ids=True):
    """Every segment row of ``source``, as comparable tuples (with or without the rows' ids)."""
    rows = set()
    for model, fields in (
        (StringSegment, ("string__data", "string__locale_id", "attrs")),
        (TemplateSegment, ("template__template", "template__template_format", "template__string_count")),
        (RelatedObjectSegment, ("object_id",)),
        (OverridableSegment, ("data_json",)),
    ):
        names = ("order", "context__path", "context__path_id", "context__field_path", *fields)
        if ids:
            names += ("id", "context_id")
        rows |= {(model.__name__, *row) for row in model.objects.filter(source=source).values_list(*names)}
    return rows


def test_the_source_has_the_segments_wagtail_localize_extracts(run_import, mode):
    run_import(pair())
    french, english = news(601), news(602)
    source = TranslationSource.objects.get_for_instance(french)
    translation = Translation.objects.get(source=source, target_locale=english.locale)
    assert not translation.enabled
    assert source.specific_content_type.model_class() is type(french)
    assert source.object_repr == str(french) and source.schema_version
    assert list(source.as_instance().body.raw_data) == list(french.body.raw_data)
    made = segments(source)
    kinds = {row[0] for row in made}
    assert kinds == {"StringSegment", "TemplateSegment", "OverridableSegment"}
    assert {"Une légende", "MMM", "Un titre", "Résumé", "Bruxelles"} <= {row[5] for row in made}
    assert len(made) > 15

    # wagtail-localize's own extraction finds every row there already: it makes, changes and deletes
    # nothing (its DELETE of the segments it did not see deletes none).
    with CaptureQueriesContext(connection) as queries:
        source.refresh_segments()
    assert segments(source) == made
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]

    # And from nothing, it makes the same rows (field paths included).
    for model in (StringSegment, TemplateSegment, RelatedObjectSegment, OverridableSegment):
        model.objects.filter(source=source).delete()
    TranslationContext.objects.filter(object_id=source.object_id).delete()
    source.refresh_segments()
    assert segments(source, ids=False) == {row[:-2] for row in made}


def test_an_existing_source_is_kept_as_it_is(run_import, mode):
    run_import(pair())
    source = TranslationSource.objects.get_for_instance(news(601))
    made = segments(source)
    run_import(pair(slug="tous-les-blocs-2"))  # the source changed in WordPress: updated, still linked
    assert TranslationSource.objects.get_for_instance(news(601)) == source
    assert segments(source) == made


def test_the_bulk_writing_takes_a_few_queries(run_import, monkeypatch):
    counts = {}
    for name in ("bulk", "fallback"):
        if name == "fallback":
            monkeypatch.setattr(sources, "_bulk_available", lambda: False)
        run_import(pair())
        page = news(601)
        TranslationSource.objects.filter(object_id=page.translation_key).delete()
        with CaptureQueriesContext(connection) as queries:
            sources.source_for(page)
        counts[name] = len(queries.captured_queries)
    # About 20 (half of them reading the page's content) against 130 or so, one by one.
    assert counts["bulk"] * 4 < counts["fallback"]
