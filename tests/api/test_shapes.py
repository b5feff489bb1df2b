"""What the API reads of a page type derives from its response schema (``api/shapes.py``).

A field the API copies from a column is declared once, in the schema: the columns the
queries select, the payload's keys and their order follow. The model's own declarations
(panels, Wagtail's API, translation) are checked against it, so a forgotten one fails here.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import CharField, TextField
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField, get_translatable_fields

from mmm_wagtail.api import cards, payloads, shapes
from mmm_wagtail.api.schemas.common import NewsCard
from mmm_wagtail.api.schemas.resources import Delegation, DelegationDetail, NewsDetail
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsPage

from .conftest import get_json, make_news

SHAPES = [shapes.DELEGATION_REF, shapes.DELEGATION, shapes.NEWS_CARD]


@pytest.mark.parametrize("shape", SHAPES, ids=repr)
def test_every_schema_field_is_copied_from_a_column_or_computed(shape):
    assert set(shape.copied) | shape.computed == set(shape.schema.model_fields)
    assert not set(shape.copied) & shape.computed
    columns = {field.name for field in shape.model._meta.concrete_fields}
    assert set(shape.copied) <= columns
    assert set(shape.copied) <= set(shape.columns)


def test_the_queries_select_the_shapes_columns():
    card_query = cards._card_values(NewsPage.objects.all()).query
    assert set(card_query.values_select) == set(shapes.NEWS_CARD.columns)
    delegation_query = cards._delegations_query("fr", (), "fr", shapes.DELEGATION.columns).query
    assert set(delegation_query.values_select) == set(shapes.DELEGATION.columns)
    # One query of the locale's delegations serves cards and listings alike.
    assert set(shapes.DELEGATION_REF.columns) <= set(shapes.DELEGATION.columns)
    assert set(shapes.DELEGATION.copied) <= set(payloads.delegation_detail_fields()) | {"title"}


def test_payload_keys_are_the_schemas_fields_in_order(client, tree):
    _, eu, _ = tree
    news = make_news(eu, dateline="Bruxelles")
    listing = get_json(client, "delegations/?locale=fr")["items"]
    assert [list(item) for item in listing] == [list(Delegation.model_fields)] * 2
    assert list(listing[0]["latest_news"][0]) == list(NewsCard.model_fields)
    assert list(listing[0]["latest_news"][0]["delegations"][0]) == ["id", "title", "acronym"]
    assert list(get_json(client, f"delegations/{eu.pk}/")) == list(DelegationDetail.model_fields)
    detail = get_json(client, f"news/{news.pk}/")
    assert list(detail) == list(NewsDetail.model_fields)
    assert detail["dateline"] == "Bruxelles"


def test_a_field_added_to_the_schema_is_read_and_returned(client, tree, monkeypatch):
    """The schema is the one declaration: a new column-backed field needs nothing else."""
    _, eu, _ = tree
    eu.latest_news_count = 3
    eu.save_revision().publish()
    make_news(eu, dateline="Genève")

    class WithCount(Delegation):
        latest_news_count: int

    class CardWithPath(NewsCard):
        url_path: str

    monkeypatch.setattr(
        shapes, "DELEGATION", shapes.Shape(WithCount, DelegationPage, shapes.DELEGATION_COMPUTED)
    )
    monkeypatch.setattr(shapes, "NEWS_CARD", shapes.Shape(CardWithPath, NewsPage, shapes.NEWS_CARD_COMPUTED))

    items = {item["id"]: item for item in get_json(client, "delegations/?locale=fr")["items"]}
    assert items[eu.pk]["latest_news_count"] == 3
    assert list(items[eu.pk])[-1] == "latest_news_count"
    card = items[eu.pk]["latest_news"][0]
    assert card["url_path"].startswith(eu.url_path) and card["dateline"] == "Genève"
    detail = get_json(client, f"delegations/{eu.pk}/")
    assert detail["latest_news_count"] == 3
    assert "latest_news_count" in payloads.delegation_detail_fields()


def test_a_schema_field_without_a_column_or_computation_fails_naming_it():
    class Broken(NewsCard):
        colour: str

    with pytest.raises(ImproperlyConfigured, match=r"Broken\.colour .* mmm_wagtail\.NewsPage"):
        shapes.Shape(Broken, NewsPage, shapes.NEWS_CARD_COMPUTED)
    with pytest.raises(ImproperlyConfigured, match="no field colour"):
        shapes.Shape(NewsCard, NewsPage, {**shapes.NEWS_CARD_COMPUTED, "colour": ()})


def test_build_refuses_a_missing_computed_field():
    with pytest.raises(TypeError, match="DelegationRef computes"):
        shapes.DELEGATION_REF.build({"title": "EU", "acronym": "EU"})


def _panel_fields(panels):
    for panel in panels:
        if isinstance(panel, FieldPanel):
            yield panel.field_name
        yield from _panel_fields(getattr(panel, "children", ()))


@pytest.mark.parametrize("shape", [shapes.DELEGATION, shapes.NEWS_CARD], ids=repr)
def test_the_models_declarations_cover_every_copied_field(shape):
    """A field the API copies is edited, exposed by Wagtail's API and translated (its text)
    or synchronised: the model's other declarations of it (Page's own fields aside)."""
    own = [name for name in shape.copied if name not in {f.name for f in Page._meta.fields}]
    assert own
    model = shape.model
    assert set(own) <= set(_panel_fields(model.content_panels))
    assert set(own) <= {field.name for field in model.api_fields}
    kinds = {field.field_name: type(field) for field in get_translatable_fields(model)}
    for name in own:
        text = isinstance(model._meta.get_field(name), CharField | TextField)
        assert kinds[name] is (TranslatableField if text else SynchronizedField), name


def test_translation_follows_the_field_types_with_language_neutral_relations_overriding():
    """Only what wagtail-localize would not derive is declared (``override_translatable_fields``)."""

    def fields(model):
        found = get_translatable_fields(model)
        return {f.field_name: (type(f), getattr(f, "overridable", True)) for f in found}

    synced, translated = (SynchronizedField, True), (TranslatableField, True)
    delegation = fields(DelegationPage)
    assert delegation["latest_news_count"] == synced
    assert delegation["summary"] == delegation["acronym"] == delegation["body"] == translated
    news = fields(NewsPage)
    assert news["date"] == news["image"] == synced
    assert news["dateline"] == news["excerpt"] == news["body"] == translated
    assert news["tags"] == news["related_delegations"] == (SynchronizedField, False)
    index = fields(DelegationIndexPage)
    assert index["intro"] == index["body"] == index["news_feed"] == translated
