"""A small reference renderer of Portable Text (to HTML, the way @portabletext/to-html renders
by default), and a reader of what any rendered HTML shows a reader: its text and its links.

Written for the tests from the specification, independently of ``mmm_wagtail.api.portable_text``:
the property test renders the API's tree with it and compares with the API's HTML format.
"""

import html
import re
from html.parser import HTMLParser

DECORATOR_TAGS = {
    "strong": "strong",
    "em": "em",
    "code": "code",
    "underline": "u",
    "strike-through": "s",
    "sub": "sub",
    "sup": "sup",
}
STYLE_TAGS = {"normal": "p", "blockquote": "blockquote", **{f"h{n}": f"h{n}" for n in range(1, 7)}}
LIST_TAGS = {"bullet": "ul", "number": "ol"}


def _span(span, defs):
    out = html.escape(span["text"]).replace("\n", "<br/>")
    # Marks apply in order, the first outermost.
    for mark in reversed(span.get("marks", [])):
        if mark in defs:
            definition = defs[mark]
            href = definition.get("href")
            out = f'<a href="{html.escape(href)}">{out}</a>' if href else out
        else:
            tag = DECORATOR_TAGS[mark]
            out = f"<{tag}>{out}</{tag}>"
    return out


def _inline(block):
    defs = {d["_key"]: d for d in block.get("markDefs", [])}
    return "".join(_span(child, defs) for child in block["children"])


def _node(node):
    if node["_type"] == "image":
        image = node["image"]
        return f'<img src="{html.escape(image["url"])}" alt="{html.escape(node["alt"])}"/>'
    if node["_type"] == "embed":
        return ""  # the HTML format drops media embeds
    tag = STYLE_TAGS[node.get("style", "normal")]
    return f"<{tag}>{_inline(node)}</{tag}>"


def to_html(nodes):
    """HTML of Portable Text ``nodes``: blocks by style, list items grouped into nested lists."""
    out, stack = [], []  # stack: (list tag, level) of the open lists
    for node in nodes:
        level = node.get("level", 1) if node.get("listItem") else 0
        tag = LIST_TAGS.get(node.get("listItem"))
        # Close deeper lists, and one of this level of the other kind.
        while stack and (stack[-1][1] > level or (stack[-1][1] == level and stack[-1][0] != tag)):
            out.append(f"</{stack.pop()[0]}>")
        if level:
            while not stack or stack[-1][1] < level:
                stack.append((tag, (stack[-1][1] + 1) if stack else 1))
                out.append(f"<{tag}>")
            out.append(f"<li>{_inline(node)}</li>")
        else:
            out.append(_node(node))
    out.extend(f"</{tag}>" for tag, _level in reversed(stack))
    return "".join(out)


BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
_SPACES = re.compile(r"[ \t\n\r\f]+")


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.line = [], ""
        self.links, self.images = [], []
        self.href, self.link_text = None, None

    def _break(self):
        if self.line.strip(" "):
            self.lines.append(self.line.strip(" "))
        self.line = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCK_TAGS:
            self._break()
        elif tag == "br":
            self.line = self.line.rstrip(" ") + "\n"
        elif tag == "a":
            self.href, self.link_text = attrs.get("href"), ""
        elif tag == "img":
            self._break()
            self.images.append((attrs.get("src"), attrs.get("alt")))

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._break()
        elif tag == "a" and self.link_text is not None:
            text = _SPACES.sub(" ", self.link_text).strip(" ")
            if self.href and text:  # a link without text is nothing a reader can follow
                self.links.append((self.href, text))
            self.href, self.link_text = None, None

    def handle_data(self, data):
        text = _SPACES.sub(" ", data)
        if self.line.endswith((" ", "\n")) or not self.line:
            text = text.lstrip(" ")
        self.line += text
        if self.link_text is not None:
            self.link_text += data


def read(source):
    """(lines of text, [(href, link text)], [(img src, alt)]) of rendered HTML ``source``."""
    reader = _Reader()
    reader.feed(source)
    reader.close()
    reader._break()
    return reader.lines, reader.links, reader.images
