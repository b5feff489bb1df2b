"""The OpenAPI document is valid, typed, and matches the parameters the views accept."""

import json
import re
import shutil
import subprocess

import pytest
from openapi_spec_validator import validate

from mmm_wagtail.api import params
from mmm_wagtail.api.errors import ParameterError
from mmm_wagtail.api.schemas.blocks import BLOCK_TYPES


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


@pytest.fixture(params=["/api/mmm/", "/api/v3/"])
def mounted(request, db, client):
    """(schema, path prefix of our operations) on the standalone mount and inside Wagtail's v3."""
    from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available

    if request.param == "/api/v3/" and not wagtail_v3_available():
        pytest.skip("Wagtail 7.4 has no API v3")
    document = client.get(request.param + "openapi.json").json()
    prefix = "/api/mmm/" if request.param == "/api/mmm/" else "/api/v3/mmm/"
    return document, prefix


def test_feed_links_are_documented_by_the_names_responses_use(mounted):
    document, _prefix = mounted
    links = document["components"]["schemas"]["FeedLinks"]
    assert set(links["properties"]) == {"rss", "atom", "json"}
    assert set(links["required"]) == {"rss", "atom", "json"}


def test_errors_are_documented_as_problem_json(mounted):
    document, prefix = mounted
    for path in ("news/", "news/{id}/", "feeds/{id_or_slug}/", "pages/find/"):
        responses = document["paths"][prefix + path]["get"]["responses"]
        for status in ("400", "404"):
            (media_type,) = responses[status]["content"]
            assert media_type == "application/problem+json"
            schema = responses[status]["content"][media_type]["schema"]
            assert {"type", "title", "status", "detail", "errors"} <= set(schema["properties"])
            assert schema["properties"]["errors"]["items"]["properties"]["parameter"]


def test_every_constraint_the_server_enforces_is_documented(mounted):
    document, prefix = mounted

    def parameters(path):
        return {p["name"]: p["schema"] for p in document["paths"][prefix + path]["get"]["parameters"]}

    news = parameters("news/")
    assert news["limit"]["minimum"] == 1 and news["limit"]["maximum"] == 100
    assert news["offset"]["minimum"] == 0 and news["offset"]["maximum"] == params.MAX_OFFSET
    for name in ("tag", "delegation"):
        assert news[name]["maxItems"] == params.MAX_VALUES
        assert news[name]["items"]["minLength"] == 1 and news[name]["items"]["pattern"]
    assert news["search"]["maxLength"] == params.MAX_TEXT and news["search"]["pattern"]
    assert news["date_from"]["pattern"] == params.DATE_PATTERN
    assert parameters("pages/find/")["path"]["pattern"] == params.PATH_PATTERN
    assert parameters("news/{id}/")["id"]["pattern"] == params.ID_PATTERN
    assert parameters("feeds/{id_or_slug}/")["id_or_slug"]["pattern"] == params.ID_OR_SLUG_PATTERN


def test_every_integer_parameter_states_the_bounds_the_server_reads(mounted):
    # A schema-valid value must never be refused as malformed (schemathesis found
    # preview/?id=6621551958512708608 documented as a plain integer, refused for its 19 digits).
    document, prefix = mounted
    found = []
    for path, operations in document["paths"].items():
        if not path.startswith(prefix):
            continue  # Wagtail's own operations in its API v3
        for parameter in operations.get("get", {}).get("parameters", []):
            schema = parameter["schema"]
            if schema.get("type") == "integer":
                found.append((path, parameter["name"]))
                assert -params.MAX_INT <= schema["minimum"] <= schema["maximum"] <= params.MAX_INT, (
                    path,
                    schema,
                )
    assert (prefix + "preview/", "id") in found
    assert params._convert(params.Param("id", "int", "", minimum=1), str(params.MAX_INT)) == params.MAX_INT


@pytest.mark.parametrize(
    "pattern, good, bad",
    [
        (params.ID_PATTERN, ["1", "123456789012345678"], ["5\n", "-1", "1234567890123456789", "", "1a"]),
        (
            params.SLUG_PATTERN,
            ["a-b_c", "éducation", "maternité", "12", "日本語"],
            ["a b", "a\n", "", "%", "a\u3000b", "a\ufeff", "é" * 256],
        ),
        (params.DATE_PATTERN, ["2024-01-31"], ["2024-01-31\n", "2024-1-1"]),
        (params.TEXT_PATTERN, ["x", " x ", "l'\"éducation"], ["", "   ", "a\x00b", "\u3000"]),
    ],
)
def test_patterns_read_the_same_in_python_and_as_documented(pattern, good, bad):
    # jsonschema (and schemathesis) apply a pattern with re.search; the server with fullmatch.
    for value in good:
        assert re.search(pattern, value) and re.fullmatch(pattern, value, re.DOTALL), value
    for value in bad:
        assert not re.search(pattern, value), repr(value)


def _document_patterns(document, prefix):
    """Every ``pattern`` of our operations' parameters (and of any schema) in the document."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({path: item for path, item in document["paths"].items() if path.startswith(prefix)})
    walk(document.get("components", {}))
    return found


# Every BMP character alone (lone surrogates included), some beyond it, and longer values.
PATTERN_PROBES = (
    [chr(code) for code in range(0x10000)]
    + [chr(code) for code in range(0x10000, 0x110000, 0x101)]
    + ["maternité", "éducation", "journée-à-genève", "5\n", "a\nb", "", "a" * 255, "a" * 256, "𝒜", "x😀"]
)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_patterns_read_the_same_in_ecma262_as_on_the_server(mounted):
    # A client validating against the document (generated TypeScript clients, ajv) reads the
    # patterns as ECMA-262, with the u flag (JSON Schema 2020-12) or without: it must accept
    # exactly what Python's re accepts, and so the server.
    document, prefix = mounted
    patterns = sorted(_document_patterns(document, prefix))
    assert params.SLUG_PATTERN in patterns and params.ID_PATTERN in patterns
    script = """
    const {patterns, values} = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const out = {};
    for (const p of patterns) for (const flags of ["", "u"]) {
      const re = new RegExp(p, flags);
      out[flags + p] = values.map((v) => re.test(v));
    }
    process.stdout.write(JSON.stringify(out));
    """
    result = subprocess.run(
        ["node", "-e", script],
        input=json.dumps({"patterns": patterns, "values": PATTERN_PROBES}),
        capture_output=True,
        text=True,
        check=True,
    )
    ecma = json.loads(result.stdout)
    for pattern in patterns:
        python = [re.search(pattern, value) is not None for value in PATTERN_PROBES]
        for flags in ("", "u"):
            differ = [
                repr(v)
                for v, a, b in zip(PATTERN_PROBES, python, ecma[flags + pattern], strict=True)
                if a != b
            ]
            assert not differ, (pattern, flags or "no flag", differ[:10])
    slug = ecma["u" + params.SLUG_PATTERN]
    assert slug[PATTERN_PROBES.index("maternité")] and slug[PATTERN_PROBES.index("éducation")]
    # What the document's slug pattern accepts, the server accepts, and the reverse.
    for value, accepted in zip(PATTERN_PROBES, slug, strict=True):
        try:
            params.parse_slug(value, "tag")
            served = True
        except ParameterError:
            served = False
        assert served == accepted, repr(value)


def test_no_undocumented_operation_and_no_head(mounted):
    document, prefix = mounted
    ours = {path: item for path, item in document["paths"].items() if path.startswith(prefix)}
    assert all(set(item) == {"get"} for item in ours.values()), ours.keys()
    assert not any("{rest}" in path for path in ours)
