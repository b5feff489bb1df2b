"""The OpenAPI document is valid, typed, and matches the parameters the views accept."""

import pytest
from openapi_spec_validator import validate

from mmm_wagtail.api import params
from mmm_wagtail.api.streamfield import BLOCK_TYPES


@pytest.fixture
def schema(db, client):
    response = client.get("/api/mmm/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_document_validates(schema):
    validate(schema)


def test_docs_page(db, client):
    assert client.get("/api/mmm/docs").status_code == 200


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_body_is_a_discriminated_union_of_every_block(schema):
    news_detail = schema["components"]["schemas"]["NewsDetail"]
    body = news_detail["properties"]["body"]
    assert body["type"] == "array"
    items = body["items"]
    assert items["discriminator"]["propertyName"] == "type"
    assert set(items["discriminator"]["mapping"]) == set(BLOCK_TYPES)
    for ref in items["oneOf"]:
        block = _resolve(schema, ref)
        assert block["properties"]["value"], block  # typed, not Any
        value = block["properties"]["value"]
        assert value.get("type") or value.get("$ref") or value.get("anyOf")


def test_no_untyped_value_anywhere(schema):
    def walk(node, where):
        if isinstance(node, dict):
            for key, child in node.items():
                if key == "properties":
                    for name, prop in child.items():
                        assert prop != {}, f"{where}.{name} is untyped"
                walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for child in node:
                walk(child, where)

    walk(schema["components"], "components")


def test_news_parameters_are_documented(schema):
    operation = schema["paths"]["/api/mmm/news/"]["get"]
    documented = {p["name"]: p for p in operation["parameters"]}
    assert set(documented) == {p.name for p in params.NEWS_LISTING}
    assert documented["order"]["schema"]["enum"] == ["-date", "date", "title", "-title"]
    assert documented["tag"]["schema"]["type"] == "array"
    assert set(operation["responses"]) >= {"200", "304", "400", "404"}


def test_interactive_docs_are_served_without_a_cdn(client):
    html = client.get("/api/mmm/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html  # "ninja" in INSTALLED_APPS: its own static files
