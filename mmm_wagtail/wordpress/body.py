"""A post's content (classic HTML, Gutenberg blocks, shortcodes) as ``BodyBlock`` data.

Headings, images with their caption and alt text, quotes, embeds, documents and buttons
become blocks of their own; the rest is rich text, cleaned by Wagtail's own whitelist
(``EditorHTMLConverter``, the features of the paragraph block) after links to imported posts
and uploaded documents are rewritten to Wagtail's page and document links. ``resolver``
answers for the import: ``page_id(href)``, ``image(attachment_id, url)`` ->
``(image, alt) | None``, ``document(url)`` -> ``document | None``, ``warn(text)``.
"""

import json
import re
import uuid

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.embeds.oembed_providers import all_providers

from ..blocks import BodyBlock
from . import shortcodes

__all__ = ["convert", "is_embeddable", "stream_json"]

_GUTENBERG = re.compile(r"<!--\s*(/?)wp:([a-z0-9_/-]+)(\s+\{.*?\})?\s*(/?)-->", re.S)
# Gutenberg blocks whose saved HTML this module reads (the others keep their text, reported).
_KNOWN_BLOCKS = {
    "paragraph", "heading", "image", "quote", "pullquote", "embed", "file", "buttons", "button",
    "list", "list-item", "gallery", "video", "separator", "spacer", "more", "html", "shortcode",
    "freeform", "group", "columns", "column", "classic", "missing", "nextpage",
}  # fmt: skip
_BLOCK_LEVEL = re.compile(
    r"^\s*<(?:p|h[1-6]|ul|ol|li|blockquote|figure|div|table|pre|hr|iframe|section|dl|address|video|form)\b",
    re.I,
)
_DOCUMENT = re.compile(
    r"\.(?:pdf|docx?|odt|xlsx?|ods|pptx?|odp|csv|txt|zip|mp4|m4v|webm|ogv|mp3)(?:$|[?#])", re.I
)
_WP_IMAGE_CLASS = re.compile(r"wp-image-(\d+)")
_URL_ONLY = re.compile(r"^\s*(https?://\S+)\s*$")


def _provider_patterns():
    patterns = []
    for provider in all_providers:
        patterns.extend(re.compile(pattern) for pattern in provider["urls"])
    return patterns


_PROVIDERS = _provider_patterns()


def is_embeddable(url):
    """Whether an oEmbed provider Wagtail knows serves ``url`` (YouTube, Vimeo…)."""
    return any(pattern.match(url) for pattern in _PROVIDERS)


def _paragraph_features():
    return BodyBlock.base_blocks["paragraph"].features


_converter = None


def _rich_text(html):
    global _converter
    if _converter is None:
        _converter = EditorHTMLConverter(features=_paragraph_features())
    return _converter.to_database_format(html)


def _autop(html):
    """WordPress's wpautop for classic content: blank lines separate paragraphs, a single
    line break is a <br>; chunks that already start with a block element are left alone."""
    chunks = re.split(r"\n\s*\n", html.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _BLOCK_LEVEL.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def _block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


class _Converter:
    def __init__(self, resolver):
        self.resolver = resolver
        self.blocks = []
        self.pending = []  # rich text HTML fragments waiting for the next paragraph block

    # Rich text ---------------------------------------------------------------------------

    def flush(self):
        if not self.pending:
            return
        fragment = BeautifulSoup("".join(self.pending), "html.parser")
        self.pending = []
        for link in fragment.find_all("a"):
            self.rewrite_link(link)
        html = _rich_text(str(fragment)).strip()
        text = BeautifulSoup(html, "html.parser").get_text().strip()
        if text:
            self.blocks.append(_block("paragraph", html))

    def rewrite_link(self, link):
        href = (link.get("href") or "").strip()
        if not href:
            return
        page_id = self.resolver.page_id(href)
        if page_id:
            link.attrs = {"data-linktype": "page", "data-id": str(page_id)}
            return
        if _DOCUMENT.search(href):
            document = self.resolver.document(href)
            if document is not None:
                link.attrs = {"data-linktype": "document", "data-id": str(document.pk)}

    # Blocks ------------------------------------------------------------------------------

    def heading(self, element):
        text = element.get_text(" ", strip=True)
        if text:
            level = {"h1": "h2", "h2": "h2", "h3": "h3"}.get(element.name, "h4")
            self.blocks.append(_block("heading", {"text": text[:255], "level": level}))

    def image(self, img, caption=""):
        attachment = None
        data_id = img.get("data-id") or ""
        match = _WP_IMAGE_CLASS.search(" ".join(img.get("class") or []))
        if data_id.isdigit():
            attachment = int(data_id)
        elif match:
            attachment = int(match.group(1))
        found = self.resolver.image(attachment, (img.get("src") or "").strip())
        if found is None:
            if caption:
                self.pending.append(f"<p>{caption}</p>")
            return
        image, alt = found
        alt = (img.get("alt") or "").strip() or alt
        self.flush()
        self.blocks.append(
            _block(
                "image",
                {"image": image.pk if image else None, "alt_text": alt[:255], "caption": caption[:255]},
            )
        )

    def figure(self, element):
        classes = set(element.get("class") or [])
        if "wp-block-embed" in classes or any(c.startswith("wp-block-embed") for c in classes):
            wrapper = element.find(class_="wp-block-embed__wrapper") or element
            self.embed(wrapper.get_text(strip=True) or (element.find("iframe") or {}).get("src", ""))
            return
        video = element.find("video")
        if video is not None:
            self.video(video.get("src") or (video.find("source") or {}).get("src", ""))
            return
        caption_element = element.find("figcaption")
        caption = caption_element.get_text(" ", strip=True) if caption_element else ""
        images = element.find_all("img")
        if not images:
            self.container(element)
            return
        for index, img in enumerate(images):
            # A gallery's figure caption belongs to the gallery: given to its first image.
            self.image(img, caption if index == 0 else "")

    def embed(self, url):
        url = (url or "").strip()
        if url.startswith(("http://", "https://")):
            self.flush()
            self.blocks.append(_block("embed", url))
        elif url:
            self.resolver.warn(f"embed without an address kept as text: {url!r}")
            self.pending.append(f"<p>{url}</p>")

    def video(self, url):
        url = (url or "").strip()
        if is_embeddable(url):
            self.embed(url)
            return
        document = self.resolver.document(url) if url else None
        if document is None:
            self.resolver.warn(f"video not found in the uploads, kept as a link: {url}")
            if url:
                self.pending.append(f'<p><a href="{url}">{url}</a></p>')
            return
        self.flush()
        self.blocks.append(_block("document", {"document": document.pk, "title": ""}))

    def quote(self, element):
        cite = element.find(["cite", "footer"])
        attribution = ""
        if cite is not None:
            attribution = cite.get_text(" ", strip=True)
            cite.extract()
        parts = [p.get_text(" ", strip=True) for p in element.find_all("p")] or [
            element.get_text(" ", strip=True)
        ]
        text = "\n\n".join(part for part in parts if part)
        if text:
            self.flush()
            self.blocks.append(_block("quote", {"quote": text, "attribution": attribution[:255]}))

    def button(self, link):
        text = link.get_text(" ", strip=True)[:100]
        href = (link.get("href") or "").strip()
        if not text or not href:
            return
        self.flush()
        page_id = self.resolver.page_id(href)
        if page_id:
            value = {"text": text, "page": page_id, "url": ""}
        else:
            value = {"text": text, "page": None, "url": href}
        self.blocks.append(_block("call_to_action", value))

    def file(self, element):
        link = element.find("a", href=True)
        document = self.resolver.document(link["href"]) if link else None
        if document is None:
            self.pending.append(str(element))
            return
        self.flush()
        title = link.get_text(" ", strip=True)
        self.blocks.append(_block("document", {"document": document.pk, "title": title[:255]}))

    # Walking -----------------------------------------------------------------------------

    def container(self, element):
        for child in list(element.children):
            self.node(child)

    def node(self, node):
        if isinstance(node, Comment):
            return
        if isinstance(node, NavigableString):
            if node.strip():
                self.pending.append(str(node))
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        classes = set(node.get("class") or [])
        if name in ("script", "style", "noscript"):
            self.resolver.warn(f"<{name}> left out")
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.flush()
            self.heading(node)
        elif name == "figure":
            self.figure(node)
        elif name == "img":
            self.image(node)
        elif name == "blockquote":
            self.quote(node)
        elif name == "iframe":
            self.embed(node.get("src", ""))
        elif name == "video":
            self.video(node.get("src") or (node.find("source") or {}).get("src", ""))
        elif name == "hr":
            self.flush()
        elif name == "div" and "wp-block-file" in classes:
            self.file(node)
        elif name == "div" and ("wp-block-buttons" in classes or "wp-block-button" in classes):
            for link in node.find_all("a", href=True):
                self.button(link)
        elif name == "a" and "wp-block-button__link" in classes:
            self.button(node)
        elif name in ("div", "section", "article", "main", "aside", "center"):
            self.container(node)
        elif name == "p":
            self.paragraph(node)
        else:
            self.pending.append(str(node))

    def paragraph(self, element):
        text = element.get_text(strip=True)
        images = element.find_all("img")
        links = element.find_all("a", href=True)
        if _URL_ONLY.match(text) and is_embeddable(text.strip()) and (not links or len(links) == 1):
            self.embed(text.strip())  # WordPress embeds a URL alone on its line
            return
        if not images and len(links) == 1 and links[0].get_text(strip=True) == text and text:
            href = links[0]["href"]
            if _DOCUMENT.search(href):
                document = self.resolver.document(href)
                if document is not None:
                    self.flush()
                    self.blocks.append(_block("document", {"document": document.pk, "title": text[:255]}))
                    return
        for img in images:
            (img.parent if img.parent.name == "a" and img.parent is not element else img).extract()
        if element.get_text(strip=True):
            self.pending.append(str(element))
        for img in images:
            self.image(img)


def _gutenberg(html, warn):
    """``html`` without its block comments; unknown block names reported."""
    seen = set()
    for closing, name, _attributes, _self_closing in _GUTENBERG.findall(html):
        short = name.removeprefix("core/")
        if short.startswith("core-embed/"):
            short = "embed"
        if not closing and short not in _KNOWN_BLOCKS and short not in seen:
            seen.add(short)
            warn(f"Gutenberg block wp:{name} not known, its content kept as text")
    return _GUTENBERG.sub("", html)


def convert(content, resolver):
    """The raw StreamField data (a list of block dicts) of a post's ``content``."""
    content = content.replace("<!--more-->", "").replace("<!--nextpage-->", "")
    is_gutenberg = "<!-- wp:" in content
    content = shortcodes.expand(
        content, lambda name: resolver.warn(f"shortcode [{name}] not known, kept as text")
    )
    content = _gutenberg(content, resolver.warn) if is_gutenberg else _autop(content)
    converter = _Converter(resolver)
    converter.container(BeautifulSoup(content, "html.parser"))
    converter.flush()
    return converter.blocks


def stream_json(blocks):
    """The blocks as the JSON a StreamField takes from a string."""
    return json.dumps(blocks, ensure_ascii=False)
