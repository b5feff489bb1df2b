"""Plain-text teasers: HTML in, a short readable string out.

The site this package replaces cut teasers on bytes and printed "participÃ". Here we cut
on grapheme clusters (user-perceived characters, via the ``regex`` module's ``\\X``), so
no code point, combining mark, emoji sequence or flag is ever split, and we back off to
the last word boundary when there is one.
"""

import html
import unicodedata
from html.parser import HTMLParser

import regex

ELLIPSIS = "…"
_WHITESPACE = regex.compile(r"\s+")
_GRAPHEME = regex.compile(r"\X")
# Tags after which a reader sees a break; we turn them into spaces so words never merge.
_BLOCK_TAGS = {
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figcaption",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "hr",
}


__all__ = ["make_teaser", "news_teaser", "plain_text", "truncate"]


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def plain_text(markup):
    """Strip tags, decode entities and collapse whitespace."""
    if not markup:
        return ""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    # convert_charrefs decodes entities in data; unescape again for text that arrived
    # double-escaped from rich text ("&amp;eacute;" is still shown as "&eacute;").
    text = "".join(parser.parts)
    text = html.unescape(text) if "&" in text else text
    return _WHITESPACE.sub(" ", text).strip()


def truncate(text, length):
    """Cut plain ``text`` to at most ``length`` characters, ending with "…" when cut."""
    if length < 1:
        raise ValueError("length must be at least 1")
    if len(text) <= length:
        return text
    budget = length - len(ELLIPSIS)
    # Grapheme boundaries up to ``budget`` depend only on the characters up to one past it
    # (UAX #29 rules look back, never further ahead), so segmenting that prefix is enough;
    # its last cluster reaches past the budget and is dropped.
    kept = _GRAPHEME.findall(text, 0, budget + 1)[:-1]
    size = sum(map(len, kept))
    if not text[size].isspace():
        # Back off to the last space, unless that would leave nothing.
        for index in range(len(kept) - 1, 0, -1):
            if kept[index].isspace():
                del kept[index:]
                break
    cut = "".join(kept).rstrip()
    # Avoid "word,…": trailing punctuation before the ellipsis reads as a typo.
    while cut and unicodedata.category(cut[-1])[0] == "P" and cut[-1] not in ")]»\"'”’":
        cut = cut[:-1].rstrip()
    return cut + ELLIPSIS


def make_teaser(markup, length):
    """The teaser of a rich-text (or plain) ``markup``, at most ``length`` characters."""
    return truncate(plain_text(markup), length)


def news_teaser(excerpt, raw_body, length):
    """The teaser of a news item: its excerpt if any, else the start of its body's text.

    ``raw_body`` is a StreamField's raw data (``StreamValue.raw_data``), so listings make
    teasers without instantiating a single block.
    """
    if excerpt.strip():
        return truncate(" ".join(excerpt.split()), length)
    parts = []
    for block in raw_body:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph" and isinstance(value, str):
            parts.append(value)
        elif kind == "heading" and isinstance(value, dict):
            parts.append(f"<p>{html.escape(value.get('text', ''))}</p>")
        elif kind == "quote" and isinstance(value, dict):
            parts.append(f"<p>{html.escape(value.get('quote', ''))}</p>")
    markup = " ".join(parts)
    # Parsing a whole body for a 200-character teaser was most of a listing's time. A
    # prefix that ends in text (``_text_prefix``) has a plain text that is a prefix of the
    # whole body's; when it is longer than the teaser, truncating it gives exactly the
    # whole body's teaser (``truncate`` looks one character past its cut, no further).
    for budget in (length * 2, length * 8):
        if budget >= len(markup):
            break
        text = plain_text(_text_prefix(markup, budget))
        if len(text) > length + 1:
            return truncate(text, length)
    return make_teaser(markup, length)


# The longest entity worth keeping whole ("&amp;eacute;": double-escaped rich text).
_ENTITY_REACH = 16


def _text_prefix(markup, budget):
    """The start of ``markup``, about ``budget`` characters, ending in text: never inside a
    tag nor an entity (a cut near an ``&`` backs off to it, one inside a tag to its ``<``)."""
    cut = budget
    ampersand = markup.rfind("&", max(0, cut - _ENTITY_REACH), cut)
    if ampersand != -1:
        cut = ampersand
    opening = markup.rfind("<", 0, cut)
    if opening > markup.rfind(">", 0, cut):
        cut = opening
    return markup[:cut]
