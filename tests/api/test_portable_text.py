"""``api.portable_text``: stored rich text as Portable Text, valid against the published data
structures, showing the same text and links as the HTML format."""

import json
import pathlib

import jsonschema
import pytest
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from wagtail.documents import get_document_model

from mmm_wagtail.api import portable_text
from mmm_wagtail.api.context import ApiContext
from mmm_wagtail.api.schemas.portable_text import PortableText
from mmm_wagtail.api.streamfield import resolve_bodies

from . import portable_text_reference as reference
from .conftest import make_image, make_news

SCHEMA = json.loads((pathlib.Path(__file__).parent / "portable-text.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
TYPED = TypeAdapter(PortableText)


def assert_valid(nodes):
    """Valid Portable Text (the published structures), marks that exist, keys unique, and
    valid against the API's own schema (what the OpenAPI document promises)."""
    VALIDATOR.validate(nodes)
    keys = [node["_key"] for node in nodes]
    assert len(keys) == len(set(keys))
    for node in nodes:
        if node["_type"] != "block":
            continue
        defs = {d["_key"] for d in node["markDefs"]}
        assert len(defs) == len(node["markDefs"])
        assert len({child["_key"] for child in node["children"]}) == len(node["children"])
        for child in node["children"]:
            assert child["text"]
            for mark in child["marks"]:
                assert mark in defs or mark in portable_text.DECORATORS.values(), mark
        # Every definition is used by a span.
        assert defs <= {mark for child in node["children"] for mark in child["marks"]}
    TYPED.validate_python(nodes)


def fake_link(linktype, attrs):
    if linktype == "page" and attrs.get("id") == "1":
        return {
            "_type": "pageLink",
            "href": "https://x/p/",
            "page": {"id": 1, "title": "P", "url": "https://x/p/", "locale": "fr"},
        }
    return None


def fake_embed(embedtype, attrs):
    if embedtype == "image":
        image = {
            "id": 3,
            "title": "I",
            "alt": "img",
            "width": 1,
            "height": 1,
            "url": "https://x/i.png",
            "renditions": {},
            "srcset": "",
            "focal_point": None,
            "sizes": None,
        }
        return {
            "_type": "image",
            "image": image,
            "alt": attrs.get("alt", ""),
            "format": attrs.get("format", ""),
        }
    return None


def convert(source):
    nodes = portable_text.convert(source, fake_link, fake_embed)
    assert_valid(nodes)
    return nodes


def texts(nodes):
    return [
        ("".join(c["text"] for c in n["children"]) if n["_type"] == "block" else n["_type"]) for n in nodes
    ]


# -- the converter -------------------------------------------------------------------------


def test_paragraphs_headings_and_quotes_are_blocks_with_their_style():
    nodes = convert(
        '<p data-block-key="a1">One</p>\n<h2>Two</h2><h3 data-block-key="h">Three</h3><h4>Four</h4>'
        "<blockquote><p>Five</p></blockquote>six"
    )
    assert [(n["style"], texts([n])[0]) for n in nodes] == [
        ("normal", "One"),
        ("h2", "Two"),
        ("h3", "Three"),
        ("h4", "Four"),
        ("blockquote", "Five"),
        ("normal", "six"),
    ]
    # The editor's block keys are kept; others are made up, never twice.
    assert nodes[0]["_key"] == "a1" and nodes[2]["_key"] == "h"
    assert "listItem" not in nodes[0]


def test_nested_marks_become_decorators_in_order():
    (block,) = convert(
        "<p>a <b>b <i>c</i></b><i> d</i> <code>e</code><s>f</s><u>g</u><sup>h</sup><sub>i</sub></p>"
    )
    assert [(c["text"], c["marks"]) for c in block["children"]] == [
        ("a ", []),
        ("b ", ["strong"]),
        ("c", ["strong", "em"]),
        (" d", ["em"]),
        (" ", []),
        ("e", ["code"]),
        ("f", ["strike-through"]),
        ("g", ["underline"]),
        ("h", ["sup"]),
        ("i", ["sub"]),
    ]


def test_lists_are_flat_items_with_their_kind_and_level():
    nodes = convert(
        "<ul><li>one<ul><li>one.one</li></ul>after</li><li><p>two</p></li></ul><ol><li>first</li></ol>"
    )
    assert [(texts([n])[0], n.get("listItem"), n.get("level")) for n in nodes] == [
        ("one", "bullet", 1),
        ("one.one", "bullet", 2),
        ("after", "bullet", 1),
        ("two", "bullet", 1),
        ("first", "number", 1),
    ]


def test_links_are_mark_definitions_and_an_unresolved_link_keeps_only_its_text():
    (block,) = convert(
        '<p><a linktype="page" id="1">page</a>, <a href="https://e.org/?a=1&amp;b=2">out</a>, '
        '<a linktype="page" id="2">hidden</a>, <a href="https://e.org/?a=1&amp;b=2">again</a> <a>bare</a></p>'
    )
    page, external, again = block["markDefs"]
    assert page["_type"] == "pageLink" and page["page"]["id"] == 1 and page["href"] == "https://x/p/"
    assert external == {"_key": external["_key"], "_type": "link", "href": "https://e.org/?a=1&b=2"}
    assert again["_key"] != external["_key"]  # one definition per link element
    assert [(c["text"], c["marks"]) for c in block["children"]] == [
        ("page", [page["_key"]]),
        (", ", []),
        ("out", [external["_key"]]),
        (", hidden, ", []),
        ("again", [again["_key"]]),
        (" bare", []),
    ]


def test_whitespace_collapses_as_html_renders_it_and_br_is_a_newline():
    (block,) = convert("<p>\n  a \t <b> b </b>  c<br/>  d&nbsp;e  </p>")
    assert "".join(c["text"] for c in block["children"]) == "a b c\nd\xa0e"


def test_images_are_typed_nodes_and_unknown_embeds_are_left_out():
    nodes = convert(
        '<p>before</p><embed embedtype="image" id="3" alt="An &amp; B" format="left"/>'
        '<embed embedtype="media" url="https://youtu.be/x"/><p>after</p>'
    )
    assert texts(nodes) == ["before", "image", "after"]
    assert nodes[1]["alt"] == "An & B" and nodes[1]["format"] == "left" and nodes[1]["image"]["id"] == 3


def test_empty_and_hostile_input_gives_valid_trees():
    assert convert("") == []
    assert convert("<p></p><p>  </p><ul><li></li></ul>") == []
    for source in ("<p><b>unclosed", "</p></b>text<li>x", "<<p>>", "<p data-block-key='k0'>a</p><p>b</p>"):
        convert(source)


# -- the published structures reject what they should --------------------------------------


@pytest.mark.parametrize(
    "nodes",
    [
        [{"style": "normal", "children": []}],  # no _type
        [{"_type": "block"}],  # no children
        [{"_type": "block", "children": [{"_type": "span"}]}],  # a span without text
        [
            {"_type": "block", "children": [], "markDefs": [{"_type": "link", "_key": "a"}]}
        ],  # link without href
    ],
)
def test_the_vendored_schema_refuses_broken_trees(nodes):
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(nodes)


# -- the same text and links as the HTML format ---------------------------------------------

WORDS = st.text(alphabet="abcé &<>\"'", min_size=1, max_size=8)


def inline(targets):
    """Inline rich text as Wagtail stores it: text, marks nested in any order, links, <br/>."""
    leaf = WORDS.map(lambda text: text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    link = st.tuples(st.sampled_from(targets), leaf).map(lambda pair: pair[0] % pair[1])

    def nest(children):
        tags = st.sampled_from(["b", "i", "code", "sup", "sub", "s"])
        return st.tuples(tags, st.lists(children, min_size=1, max_size=3)).map(
            lambda pair: f"<{pair[0]}>{''.join(pair[1])}</{pair[0]}>"
        )

    piece = st.recursive(st.one_of(leaf, link, st.just("<br/>"), st.just(" ")), nest, max_leaves=6)
    return st.lists(piece, min_size=1, max_size=5).map("".join)


def rich_text(targets):
    text = inline(targets)
    item = text.map(lambda t: f"<li>{t}</li>")
    nested_item = st.tuples(text, st.lists(item, min_size=1, max_size=2)).map(
        lambda pair: f"<li>{pair[0]}<ul>{''.join(pair[1])}</ul></li>"
    )
    block = st.one_of(
        text.map(lambda t: f'<p data-block-key="x">{t}</p>'),
        st.tuples(st.sampled_from(["h2", "h3", "h4"]), text).map(lambda p: f"<{p[0]}>{p[1]}</{p[0]}>"),
        st.tuples(
            st.sampled_from(["ul", "ol"]), st.lists(st.one_of(item, nested_item), min_size=1, max_size=3)
        ).map(lambda p: f"<{p[0]}>{''.join(p[1])}</{p[0]}>"),
        st.just('<embed embedtype="image" id="%(image)d" alt="pic"/>'),
    )
    return st.lists(block, min_size=1, max_size=5).map("".join)


@pytest.fixture
def linked(tree):
    index, eu, un = tree
    live = make_news(un, title="Live")
    draft = make_news(un, publish=False, title="Draft")
    document = get_document_model().objects.create(title="Report", file="documents/report.pdf")
    image = make_image("Pic")
    targets = [
        f'<a linktype="page" id="{live.pk}">%s</a>',
        f'<a linktype="page" id="{draft.pk}">%s</a>',
        f'<a linktype="page" id="{index.pk}">%s</a>',
        f'<a linktype="document" id="{document.pk}">%s</a>',
        '<a href="https://example.org/?a=1&amp;b=2">%s</a>',
        '<a linktype="page" id="999999">%s</a>',
    ]
    return targets, image


def both_formats(source):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    _, (as_html,) = resolve_bodies(ApiContext(request), [], [source])
    _, (as_tree,) = resolve_bodies(ApiContext(request, rich_text_format="portable_text"), [], [source])
    return as_html, as_tree


@pytest.mark.django_db
def test_a_fixed_example_reads_the_same_in_both_formats(linked):
    targets, image = linked
    source = (
        "<h2>Title</h2><p>" + targets[0] % "live" + " and " + targets[1] % "draft" + "</p>"
        f'<ul><li><b>{targets[3] % "doc"}</b></li></ul><embed embedtype="image" id="{image.pk}" alt="pic"/>'
    )
    as_html, as_tree = both_formats(source)
    assert_valid(as_tree)
    assert reference.read(reference.to_html(as_tree)) == reference.read(as_html)
    lines, links, images = reference.read(as_html)
    assert lines == ["Title", "live and draft", "doc"]
    assert [text for _href, text in links] == ["live", "doc"]  # the draft's link never leaves
    assert images == [(images[0][0], "pic")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
@pytest.mark.django_db
def test_portable_text_shows_the_same_text_links_and_images_as_html(linked, data):
    targets, image = linked
    source = data.draw(rich_text(targets)) % {"image": image.pk}
    as_html, as_tree = both_formats(source)
    assert_valid(as_tree)
    assert reference.read(reference.to_html(as_tree)) == reference.read(as_html)
