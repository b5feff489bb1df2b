"""Wagtail's stored rich text: the one reader and rewriter of its ``<a linktype>`` and
``<embed embedtype>`` tags.

Stored rich text names what it links to (``<a linktype="page" id="12">``, ``linktype="document"``,
``<embed embedtype="image" id="3">``). Wagtail's ``richtext`` filter (``expand_db_html``) turns
it into HTML for templates, one query per kind of link, with the links to every page,
published or not. The package needs two things more, both from these tags: the API renders
them itself (absolute URLs, all the bodies of a response loaded at once, ``api.streamfield``),
and both faces drop the ``href`` of a link to a page a reader may not see
(``templatetags.mmm_wagtail_tags.mmm_richtext`` before Wagtail's filter renders the rest).
``tags`` reads the tags (the kind of a link is its ``linktype``: a document link is a
document, never a page), ``rewrite`` replaces them.
"""

import html
import re

__all__ = ["id_of", "rewrite", "tags"]

_A_TAG = re.compile(r"<a(\s[^>]*)?>", re.IGNORECASE)
_EMBED_TAG = re.compile(r"<embed(\s[^>]*?)/?>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Larger ids are no row of any table (and overflow a database's integer).
_MAX_ID_DIGITS = 18


def _attrs(text):
    return {
        m.group(1).lower(): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
        for m in _ATTR.finditer(text or "")
    }


def id_of(attrs):
    """The ``id`` attribute of a tag as an int, or None when it is missing or no id."""
    value = (attrs.get("id") or "").strip()
    return int(value) if value.isdigit() and len(value) <= _MAX_ID_DIGITS else None


def tags(source):
    """``(kind, attrs)`` of each link and embed of ``source``: ``kind`` is ``("a", linktype)``
    or ``("embed", embedtype)``, the type None when the tag has none (an external link)."""
    for match in _A_TAG.finditer(source or ""):
        attrs = _attrs(match.group(1))
        yield ("a", attrs.get("linktype")), attrs
    for match in _EMBED_TAG.finditer(source or ""):
        attrs = _attrs(match.group(1))
        yield ("embed", attrs.get("embedtype")), attrs


def rewrite(source, link=None, embed=None):
    """``source`` with each ``<a linktype>`` tag replaced by ``link(linktype, attrs)`` and each
    ``<embed>`` by ``embed(embedtype, attrs)``; a function returning None keeps its tag, and a
    link without a ``linktype`` (an external or anchor link) is always kept."""
    source = source or ""

    def replace_link(match):
        attrs = _attrs(match.group(1))
        linktype = attrs.get("linktype")
        if not linktype:
            return match.group(0)
        replacement = link(linktype, attrs)
        return match.group(0) if replacement is None else replacement

    def replace_embed(match):
        attrs = _attrs(match.group(1))
        replacement = embed(attrs.get("embedtype"), attrs)
        return match.group(0) if replacement is None else replacement

    if link is not None:
        source = _A_TAG.sub(replace_link, source)
    if embed is not None:
        source = _EMBED_TAG.sub(replace_embed, source)
    return source
