"""WordPress's export format (WXR 1.1 and 1.2) read into plain data.

The XML goes through defusedxml with document type declarations refused: a WXR file has
none, and refusing them refuses every entity expansion (billion laughs) and external
reference (XXE) with them. Texts are repaired with ftfy (mojibake such as "participÃ©").
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

import ftfy
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

__all__ = ["Author", "Export", "Item", "Term", "WXRError", "parse", "repair"]

_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
# Only mojibake and broken characters: curly quotes, ligatures and widths are the authors'.
_FIX = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    unescape_html=False,
    explain=False,
)


class WXRError(Exception):
    """The file is not a WordPress export this importer reads, or is refused as unsafe."""


def repair(text):
    """``text`` with its mojibake repaired (ftfy), nothing else changed."""
    return ftfy.fix_text(text, config=_FIX) if text else ""


@dataclass
class Term:
    taxonomy: str  # category, post_tag, language, post_translations, term_translations…
    slug: str
    name: str
    term_id: int | None = None
    description: str = ""


@dataclass
class Author:
    login: str
    author_id: int | None = None
    display_name: str = ""


@dataclass
class Item:
    wp_id: int
    post_type: str
    status: str
    title: str
    link: str
    slug: str
    content: str
    excerpt: str
    date: datetime | None
    password: str
    parent_id: int
    terms: list = field(default_factory=list)  # [Term] from the item's <category> elements
    meta: dict = field(default_factory=dict)
    attachment_url: str = ""
    author: str = ""  # the author's login (dc:creator)

    def terms_of(self, *taxonomies):
        return [term for term in self.terms if term.taxonomy in taxonomies]


@dataclass
class Export:
    base_site_url: str
    base_blog_url: str
    language: str
    version: str
    items: list
    terms: list  # [Term] declared at the channel level (wp:category, wp:tag, wp:term)
    authors: list = field(default_factory=list)  # [Author] (wp:author)

    @property
    def site(self):
        return (self.base_blog_url or self.base_site_url).rstrip("/")


def _name(tag):
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id', whatever the WXR version."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if uri.startswith("http://wordpress.org/export/"):
        return ("excerpt:" if uri.rstrip("/").endswith("excerpt") else "wp:") + local
    return f"{_NAMESPACES.get(uri, uri)}:{local}"


def _children(element):
    found = {}
    for child in element:
        found.setdefault(_name(child.tag), child)
    return found


def _text(children, name):
    element = children.get(name)
    return (element.text or "") if element is not None else ""


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _date(children):
    gmt = _text(children, "wp:post_date_gmt").strip()
    local = _text(children, "wp:post_date").strip()
    for value, aware in ((gmt, True), (local, False)):
        if value and not value.startswith("0000"):
            try:
                parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            # post_date is the site's local time: kept naive, made aware by the caller's zone.
            return parsed.replace(tzinfo=UTC) if aware else parsed
    return None


def _channel_term(element):
    children = _children(element)
    kind = _name(element.tag)
    if kind == "wp:category":
        return Term(
            "category",
            unquote(_text(children, "wp:category_nicename")),
            repair(_text(children, "wp:cat_name")),
            _int(_text(children, "wp:term_id"), None),
            repair(_text(children, "wp:category_description")),
        )
    if kind == "wp:tag":
        return Term(
            "post_tag",
            unquote(_text(children, "wp:tag_slug")),
            repair(_text(children, "wp:tag_name")),
            _int(_text(children, "wp:term_id"), None),
            repair(_text(children, "wp:tag_description")),
        )
    return Term(
        _text(children, "wp:term_taxonomy"),
        unquote(_text(children, "wp:term_slug")),
        repair(_text(children, "wp:term_name")),
        _int(_text(children, "wp:term_id"), None),
        _text(children, "wp:term_description"),
    )


def _item(element):
    children = _children(element)
    meta = {}
    terms = []
    for child in element:
        name = _name(child.tag)
        if name == "wp:postmeta":
            pair = _children(child)
            meta[_text(pair, "wp:meta_key")] = _text(pair, "wp:meta_value")
        elif name == "category":
            terms.append(
                Term(
                    child.get("domain", "category"),
                    unquote(child.get("nicename", "")),
                    repair(child.text or ""),
                )
            )
    return Item(
        wp_id=_int(_text(children, "wp:post_id")),
        post_type=_text(children, "wp:post_type") or "post",
        status=_text(children, "wp:status") or "publish",
        title=repair(_text(children, "title")).strip(),
        link=_text(children, "link").strip(),
        slug=unquote(_text(children, "wp:post_name")).strip(),
        content=repair(_text(children, "content:encoded")),
        excerpt=repair(_text(children, "excerpt:encoded")),
        date=_date(children),
        password=_text(children, "wp:post_password"),
        parent_id=_int(_text(children, "wp:post_parent")),
        terms=terms,
        meta=meta,
        attachment_url=_text(children, "wp:attachment_url").strip(),
        author=_text(children, "dc:creator").strip(),
    )


def _author(element):
    children = _children(element)
    return Author(
        login=_text(children, "wp:author_login").strip(),
        author_id=_int(_text(children, "wp:author_id"), None),
        display_name=repair(_text(children, "wp:author_display_name")).strip(),
    )


def parse(source):
    """The export in ``source`` (a path or a file object) as an ``Export``; ``WXRError`` otherwise."""
    try:
        tree = SafeET.parse(source, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise WXRError(
            f"Refused: the export declares a document type or entities ({type(error).__name__}). "
            "A WordPress export has none; entity expansion and external references are never read."
        ) from error
    except SafeET.ParseError as error:
        raise WXRError(f"Not well-formed XML: {error}") from error
    channel = tree.getroot().find("channel")
    if channel is None:
        raise WXRError("Not a WordPress export: no <rss><channel>.")
    children = _children(channel)
    version = _text(children, "wp:wxr_version").strip()
    if not version:
        raise WXRError("Not a WordPress export: no <wp:wxr_version>.")
    if version not in ("1.0", "1.1", "1.2"):
        raise WXRError(f"WXR version {version} is not supported (1.1 and 1.2 are).")
    terms = [
        _channel_term(child) for child in channel if _name(child.tag) in ("wp:category", "wp:tag", "wp:term")
    ]
    items = [_item(child) for child in channel if child.tag == "item"]
    authors = [_author(child) for child in channel if _name(child.tag) == "wp:author"]
    return Export(
        base_site_url=_text(children, "wp:base_site_url").strip(),
        base_blog_url=_text(children, "wp:base_blog_url").strip() or _text(children, "link").strip(),
        language=_text(children, "language").strip(),
        version=version,
        items=items,
        terms=terms,
        authors=[author for author in authors if author.login],
    )
