"""Rich text as Portable Text (``rich_text_format=portable_text``), filled by ``api.portable_text``.

Portable Text's own names start with an underscore (``_type``, ``_key``), which pydantic keeps
for private attributes: the fields are ``type_`` and ``key`` with those aliases, and the
OpenAPI document (written by alias) shows the names the JSON has. Nodes and mark definitions
are discriminated unions on ``_type``, so a generated client narrows each node by its type.
"""

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from .common import DocumentLink, EmbedValue, Image, PageLink

KEY = Field(alias="_key", description="Unique within the rich text.")


class Span(Schema):
    type_: Literal["span"] = Field(alias="_type")
    key: str = KEY
    text: str = Field(description="The text; a line break (HTML's <br>) is a newline.")
    marks: list[str] = Field(
        description="Decorators (strong, em, code, underline, strike-through, sub, sup) and the "
        "_key of each of the block's markDefs that applies."
    )


class LinkMark(Schema):
    key: str = KEY
    type_: Literal["link"] = Field(alias="_type")
    href: str = Field(description="An external URL (or mailto:, tel:, #anchor), as the editor wrote it.")


class PageLinkMark(Schema):
    key: str = KEY
    type_: Literal["pageLink"] = Field(alias="_type")
    href: str = Field(description="The page's public URL (absolute), as page.url.")
    page: PageLink = Field(description="The linked page, in the requested locale when translated.")


class DocumentLinkMark(Schema):
    key: str = KEY
    type_: Literal["documentLink"] = Field(alias="_type")
    href: str = Field(description="The document's URL (absolute), as document.url.")
    document: DocumentLink


MarkDef = Annotated[LinkMark | PageLinkMark | DocumentLinkMark, Field(discriminator="type_")]


class TextBlock(Schema):
    type_: Literal["block"] = Field(alias="_type")
    key: str = KEY
    style: Literal["normal", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]
    mark_defs: list[MarkDef] = Field(
        alias="markDefs",
        description="The links of this block; a link to a page the reader may not see is left out "
        "(its text stays).",
    )
    children: list[Span] = Field(min_length=1)
    list_item: Literal["bullet", "number"] | None = Field(
        None, alias="listItem", description="Set on list items only: <ul> is bullet, <ol> number."
    )
    level: int | None = Field(None, ge=1, description="A list item's depth, from 1 (set with listItem).")


class ImageNode(Schema):
    type_: Literal["image"] = Field(alias="_type")
    key: str = KEY
    image: Image
    alt: str = Field(description="The editor's alternative text for this use, else the image's.")
    format: str = Field(description="Wagtail's image format name (fullwidth, left, right), or empty.")


class EmbedNode(EmbedValue):
    type_: Literal["embed"] = Field(alias="_type")
    key: str = KEY


PortableTextNode = Annotated[TextBlock | ImageNode | EmbedNode, Field(discriminator="type_")]
PortableText = list[PortableTextNode]
RichText = Annotated[
    str | PortableText,
    Field(
        description="Rich text: HTML with links and images resolved (rich_text_format=html, the default), "
        "or Portable Text nodes (rich_text_format=portable_text)."
    ),
]
