"""``mmm_wagtail.richtext``: the one reader and rewriter of stored rich text's tags."""

from mmm_wagtail import richtext

SOURCE = (
    '<p><a linktype="page" id="12">page</a> <a linktype="document" id=\'7\'>doc</a> '
    '<a href="https://example.org">out</a> <a linktype="page" id="99999999999999999999">big</a>'
    '<embed embedtype="image" id="3" alt="A &amp; B" format="left"/>'
    '<embed embedtype="media" url="https://youtu.be/x"/></p>'
)


def test_each_tag_is_read_with_its_kind_a_document_link_is_a_document():
    found = [(kind, richtext.id_of(attrs)) for kind, attrs in richtext.tags(SOURCE)]
    assert found == [
        (("a", "page"), 12),
        (("a", "document"), 7),
        (("a", None), None),
        (("a", "page"), None),  # no row has such an id
        (("embed", "image"), 3),
        (("embed", "media"), None),
    ]
    image = next(attrs for kind, attrs in richtext.tags(SOURCE) if kind == ("embed", "image"))
    assert image["alt"] == "A & B"


def test_rewrite_replaces_typed_tags_and_keeps_external_links_and_what_a_rule_keeps():
    def link(linktype, attrs):
        return f'<a href="/{linktype}/{richtext.id_of(attrs)}">' if linktype == "document" else None

    out = richtext.rewrite(SOURCE, link=link, embed=lambda kind, attrs: "" if kind == "media" else None)
    assert '<a href="/document/7">doc</a>' in out
    assert '<a linktype="page" id="12">page</a>' in out
    assert '<a href="https://example.org">out</a>' in out
    assert '<embed embedtype="image"' in out and "youtu.be" not in out
