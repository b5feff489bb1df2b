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
    kept, size, last_space = [], 0, None
    for match in _GRAPHEME.finditer(text):
        cluster = match.group()
        if size + len(cluster) > budget:
            break
        if cluster.isspace():
            last_space = len(kept)
        kept.append(cluster)
        size += len(cluster)
    next_is_break = size < len(text) and text[size].isspace()
    if not next_is_break and last_space:
        kept = kept[:last_space]
    cut = "".join(kept).rstrip()
    # Avoid "word,…": trailing punctuation before the ellipsis reads as a typo.
    while cut and unicodedata.category(cut[-1])[0] == "P" and cut[-1] not in ")]»\"'”’":
        cut = cut[:-1].rstrip()
    return cut + ELLIPSIS


def make_teaser(markup, length):
    """The teaser of a rich-text (or plain) ``markup``, at most ``length`` characters."""
    return truncate(plain_text(markup), length)
