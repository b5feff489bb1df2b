"""Schemas shared by resources and StreamField blocks (no import of either)."""

import datetime

from ninja import Schema
from pydantic import Field


class ErrorItem(Schema):
    parameter: str | None = Field(description="The query or path parameter at fault, if any.")
    message: str


class Problem(Schema):
    """An RFC 9457 problem detail (``application/problem+json``), as Wagtail's API v3 answers."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(description="The HTTP status phrase.", examples=["Bad Request"])
    status: int = Field(examples=[400])
    detail: str = Field(description="Every error in one sentence.")
    errors: list[ErrorItem] = Field(description="Each parameter at fault, with what is wrong with it.")


class FeedLinks(Schema):
    rss: str
    atom: str
    json_: str = Field(alias="json")


class Translation(Schema):
    locale: str
    id: int
    title: str
    html_url: str | None
    detail_url: str


class Meta(Schema):
    type: str = Field(
        description="Wagtail model, e.g. mmm_wagtail.NewsPage.", examples=["mmm_wagtail.NewsPage"]
    )
    locale: str = Field(examples=["fr"])
    slug: str
    html_url: str | None = Field(description="The page on the public site (absolute URL).")
    detail_url: str = Field(description="This object in this API (absolute URL).")
    first_published_at: datetime.datetime | None
    last_published_at: datetime.datetime | None
    translations: list[Translation] = Field(
        default_factory=list,
        description="The page's other-language versions (live, public, not aliases).",
    )


class DelegationMeta(Meta):
    feeds: FeedLinks | None = Field(None, description="RSS, Atom and JSON Feed of the delegation's news.")


class Rendition(Schema):
    url: str
    width: int
    height: int


class FocalPoint(Schema):
    """The area an editor marked as the image's subject, in the original's pixels (Wagtail's
    fields): ``x`` and ``y`` its centre."""

    x: int = Field(description="The centre's distance from the left edge.")
    y: int = Field(description="The centre's distance from the top edge.")
    width: int
    height: int


class ImageSizes(Schema):
    """Any size the site allows (``IMAGE_SIZES``), from one signed URL template."""

    template: str = Field(
        description=(
            "Replace {filter} with a filter spec (URL-encoded, `|` as %7C): `width-W` for W in `widths`, "
            "`fill-WxH` for a ratio a:b of `ratios` (H = Math.round(W * b / a), the largest crop of that "
            "ratio covering the focal point), either followed by `|format-F` for F in `formats`. "
            "The address redirects to the rendition; any other filter is a 400."
        ),
        examples=["https://example.org/api/mmm/images/Zm9v/12/{filter}/"],
    )
    widths: list[int] = Field(
        description="The allowed widths up to the original's (Wagtail does not enlarge)."
    )
    ratios: list[str] = Field(description="Crop ratios, width:height.", examples=[["1:1", "4:3", "16:9"]])
    formats: list[str] = Field(description="Output formats besides the original's.", examples=[["webp"]])


class Image(Schema):
    id: int
    title: str
    alt: str
    width: int
    height: int
    url: str = Field(description="The original file.")
    renditions: dict[str, Rendition] = Field(description="Named renditions, from the RENDITIONS setting.")
    srcset: str = Field(description="Renditions of the original's proportions, for <img srcset>.")
    focal_point: FocalPoint | None = Field(description="None when the editor set none.")
    sizes: ImageSizes | None = Field(
        description="None when the site routes only the API inside Wagtail's API v3, not mmm_wagtail.urls."
    )


class TagLabel(Schema):
    slug: str
    name: str


class DelegationRef(Schema):
    id: int
    title: str
    acronym: str


class NewsCard(Schema):
    id: int
    title: str
    meta: Meta
    date: datetime.date
    date_display: str = Field(description="The date formatted with DATE_FORMATS, e.g. 14.12.24.")
    dateline: str
    excerpt: str = Field(description="Plain-text teaser.")
    tags: list[TagLabel]
    delegations: list[DelegationRef] = Field(description="The parent delegation first, then related ones.")
    image: Image | None


class FeedMeta(Schema):
    type: str = Field(examples=["mmm_wagtail.NewsFeed"])
    locale: str
    slug: str
    detail_url: str
    feeds: FeedLinks | None = None


class Feed(Schema):
    id: int
    slug: str
    title: str
    intro: str
    meta: FeedMeta
    items: list[NewsCard]


class PageLink(Schema):
    id: int
    title: str
    url: str | None
    locale: str


class DocumentLink(Schema):
    id: int
    title: str
    url: str
    file_extension: str


class EmbedValue(Schema):
    url: str
    html: str | None = Field(description="The oEmbed HTML when Wagtail has fetched it, else null.")
    title: str
    provider_name: str
    thumbnail_url: str
    width: int | None
    height: int | None
