"""The API schemas of StreamField blocks: one per block of ``mmm_wagtail.blocks.BodyBlock``
(same names, other module: these describe the JSON, those the editor's blocks), and ``Body``,
their discriminated union on ``type``. ``api.streamfield`` fills them."""

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from .common import DocumentLink, EmbedValue, Feed, Image, PageLink
from .portable_text import RichText


class _Block(Schema):
    id: str | None = Field(description="The block's stable id in the stream.")


class ParagraphBlock(_Block):
    type: Literal["paragraph"]
    value: RichText


class HeadingValue(Schema):
    text: str
    level: Literal["h2", "h3", "h4"]


class HeadingBlock(_Block):
    type: Literal["heading"]
    value: HeadingValue


class ImageValue(Schema):
    image: Image | None = Field(description="Null when the image was deleted.")
    alt: str = Field(description="The block's alternative text, else the image's.")
    caption: str


class ImageBlock(_Block):
    type: Literal["image"]
    value: ImageValue


class QuoteValue(Schema):
    quote: str
    attribution: str


class QuoteBlock(_Block):
    type: Literal["quote"]
    value: QuoteValue


class EmbedBlock(_Block):
    type: Literal["embed"]
    value: EmbedValue


class DocumentValue(Schema):
    document: DocumentLink | None
    title: str = Field(description="Link text: the block's, else the document's title.")


class DocumentBlock(_Block):
    type: Literal["document"]
    value: DocumentValue


class CallToActionValue(Schema):
    text: str
    page: PageLink | None
    url: str | None = Field(description="Where the button leads: the page's URL or the external URL.")


class CallToActionBlock(_Block):
    type: Literal["call_to_action"]
    value: CallToActionValue


class NewsFeedValue(Schema):
    heading: str = Field(description="The block's heading, else the feed's title.")
    feed: Feed | None = Field(description="The feed with its current items; null when it was deleted.")


class NewsFeedBlock(_Block):
    type: Literal["news_feed"]
    value: NewsFeedValue


AnyBlock = Annotated[
    ParagraphBlock
    | HeadingBlock
    | ImageBlock
    | QuoteBlock
    | EmbedBlock
    | DocumentBlock
    | CallToActionBlock
    | NewsFeedBlock,
    Field(discriminator="type"),
]
Body = list[AnyBlock]
BLOCK_TYPES = ("paragraph", "heading", "image", "quote", "embed", "document", "call_to_action", "news_feed")
