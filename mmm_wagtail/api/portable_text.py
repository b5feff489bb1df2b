"""Stored rich text as Portable Text (https://portabletext.org): the ``rich_text_format=portable_text``
of the API's bodies and intros.

Wagtail stores rich text as a small, whitelisted HTML (``<p data-block-key>``, ``<h2>``–``<h4>``,
``<ul>``/``<ol>``, ``<b>``, ``<i>``, ``<a linktype="page" id>``, ``<embed embedtype="image">``…).
``convert`` reads it with the standard library's ``html.parser`` (a tolerant tokenizer that
never raises on malformed input, kept with Python; rich text is already sanitised by Wagtail, so
no sanitising parser is needed) and builds the tree Portable Text describes: a flat list of
``block`` nodes (``style``, ``listItem`` and ``level`` for list items, ``children`` spans with
their ``marks``, ``markDefs`` for links) and typed custom nodes for images and media embeds.

What a link or an embed points to is not decided here: ``link(linktype, attrs)`` and
``embed(embedtype, attrs)`` are the resolver's (``api.streamfield.BodyResolver``), the same
that renders the HTML format, so both formats link the same pages, documents and images, and
both drop what a reader may not see (a ``None`` link keeps its text without a mark, a ``None``
embed is left out). A link without a ``linktype`` is an external one, kept as it is
(``richtext.rewrite``'s rule).

Whitespace follows HTML's rendering: runs of spaces, tabs and newlines are one space, none at
the start or end of a block; ``<br>`` is a ``\\n`` in the span's text (Portable Text renderers
turn it back into a line break). Keys are deterministic (the editor's ``data-block-key`` when
it has one), so a response's ETag changes only with its content.
"""

import re
from html.parser import HTMLParser

__all__ = ["DECORATORS", "convert"]

# HTML tag -> Portable Text decorator (the names @portabletext's renderers know, plus sub/sup).
DECORATORS = {
    "b": "strong",
    "strong": "strong",
    "i": "em",
    "em": "em",
    "code": "code",
    "u": "underline",
    "s": "strike-through",
    "strike": "strike-through",
    "del": "strike-through",
    "sub": "sub",
    "sup": "sup",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "div", "li", *_HEADINGS}
_LISTS = {"ul": "bullet", "ol": "number"}
# HTML's collapsible whitespace (not U+00A0, which ``&nbsp;`` is meant to keep).
_SPACES = re.compile(r"[ \t\n\r\f]+")


class _Builder(HTMLParser):
    def __init__(self, link, embed):
        super().__init__(convert_charrefs=True)
        self.link, self.embed = link, embed
        self.nodes = []
        self.keys = set()
        self.block = None  # the block being filled
        self.quotes = 0  # open <blockquote>s
        self.lists = []  # "bullet" / "number" of each open list
        self.items = 0  # open <li>s: text after an item's nested list is still the item's
        self.marks = []  # (tag, mark or None) of each open inline element
        self.pending_key = None  # the data-block-key of the block tag just opened

    # -- keys and blocks -------------------------------------------------------------------

    def _key(self, wanted=None):
        key = wanted if wanted and wanted not in self.keys else None
        number = len(self.keys)
        while key is None or key in self.keys:
            key, number = f"k{number}", number + 1
        self.keys.add(key)
        return key

    def _open(self, tag, attrs):
        self._end_block()
        style = tag if tag in _HEADINGS else "blockquote" if self.quotes else "normal"
        self.block = {"_type": "block", "_key": None, "style": style, "markDefs": [], "children": []}
        if self.items and self.lists and tag not in _HEADINGS:
            self.block["listItem"] = self.lists[-1]
            self.block["level"] = len(self.lists)
        self.pending_key = attrs.get("data-block-key")

    def _end_block(self):
        block, self.block = self.block, None
        if block is None:
            return
        block.pop("_defs", None)
        children = block["children"]
        if children:
            children[0]["text"] = children[0]["text"].lstrip(" ")
            children[-1]["text"] = children[-1]["text"].rstrip(" ")
        children[:] = [span for span in children if span["text"]]
        if not children:
            return  # an empty paragraph renders nothing
        block["_key"] = self._key(self.pending_key)
        used = {mark for span in children for mark in span["marks"]}
        # Mark keys get the block's key in front: unique in the document, never a decorator's name.
        names = {d["_key"]: f"{block['_key']}{d['_key']}" for d in block["markDefs"] if d["_key"] in used}
        block["markDefs"] = [{**d, "_key": names[d["_key"]]} for d in block["markDefs"] if d["_key"] in names]
        for number, span in enumerate(children):
            span["_key"] = f"{block['_key']}s{number}"
            span["marks"] = [names.get(mark, mark) for mark in span["marks"]]
        self.nodes.append(block)

    def _text(self, text):
        if self.block is None:
            if not text.strip(" "):
                return  # whitespace between blocks
            self._open("li" if self.items else "p", {})
        marks = []
        for _tag, mark in self.marks:
            if isinstance(mark, dict):
                # One definition per link element in this block (two links to one URL are two).
                known = self.block.setdefault("_defs", {})
                if id(mark) not in known:
                    known[id(mark)] = f"m{len(self.block['markDefs'])}"
                    self.block["markDefs"].append({"_key": known[id(mark)], **mark})
                mark = known[id(mark)]
            if mark is not None and mark not in marks:
                marks.append(mark)
        children = self.block["children"]
        before = children[-1]["text"] if children else ""
        if text.startswith(" ") and (not before or before.endswith((" ", "\n"))):
            text = text[1:]
        if text == "\n" and children:
            children[-1]["text"] = before.rstrip(" ")
        if not text:
            return
        if children and children[-1]["marks"] == marks:
            children[-1]["text"] += text
        else:
            children.append({"_type": "span", "_key": None, "text": text, "marks": marks})

    # -- the parser's events ---------------------------------------------------------------

    def handle_starttag(self, tag, attr_list):
        attrs = {name: value or "" for name, value in attr_list}
        if tag in _BLOCKS:
            if tag == "li":
                self.items += 1
            elif self.block is not None and "listItem" in self.block and not self.block["children"]:
                return  # <li><p>…</p></li>: the paragraph is the item's text
            self._open(tag, attrs)
        elif tag == "blockquote":
            self._end_block()
            self.quotes += 1
        elif tag in _LISTS:
            self._end_block()  # an item's text before its nested list is a block of its own
            self.lists.append(_LISTS[tag])
        elif tag in DECORATORS:
            self.marks.append((tag, DECORATORS[tag]))
        elif tag == "a":
            linktype = attrs.get("linktype")
            if linktype:
                definition = self.link(linktype, attrs)
            else:
                href = attrs.get("href")
                definition = {"_type": "link", "href": href} if href else None
            self.marks.append((tag, dict(definition) if definition else None))
        elif tag == "br":
            self._text("\n")
        elif tag == "embed":
            node = self.embed(attrs.get("embedtype"), attrs)
            if node:
                self._end_block()  # the text after it, if any, is a block of its own
                self.nodes.append({"_type": node["_type"], "_key": self._key(), **node})

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            if tag == "li":
                self.items = max(0, self.items - 1)
            self._end_block()
        elif tag == "blockquote":
            self._end_block()
            self.quotes = max(0, self.quotes - 1)
        elif tag in _LISTS:
            self._end_block()
            if self.lists:
                self.lists.pop()
        elif tag in DECORATORS or tag == "a":
            for index in range(len(self.marks) - 1, -1, -1):
                if self.marks[index][0] == tag:
                    del self.marks[index]
                    break

    def handle_data(self, data):
        self._text(_SPACES.sub(" ", data))


def convert(source, link, embed):
    """The Portable Text nodes of stored rich text ``source``; ``link(linktype, attrs)`` gives
    the mark definition of a typed link (``_type`` and its data, or None: no link) and
    ``embed(embedtype, attrs)`` the custom node of an embed (``_type`` and its data, or None)."""
    builder = _Builder(link, embed)
    builder.feed(source or "")
    builder.close()  # the parser's: what it still buffers
    builder._end_block()
    return builder.nodes
