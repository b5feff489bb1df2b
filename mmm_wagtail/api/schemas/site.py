"""Schemas of what a frontend needs about the site itself: ``site/``, ``sitemap/``, ``redirects/``,
and ``removed/`` for a syncer's mirror."""

import datetime

from ninja import Schema
from pydantic import Field


class SiteHome(Schema):
    id: int = Field(description="The site's root page in this language.")
    html_url: str | None = Field(description="Its public URL (absolute).")
    path: str | None = Field(description="Its path, not percent-encoded.", examples=["/en/"])


class SiteLanguage(Schema):
    code: str = Field(examples=["fr"])
    name: str = Field(description="The language's name in WAGTAIL_CONTENT_LANGUAGES.", examples=["Français"])
    default: bool = Field(description="Whether this is the language of the site's root page.")
    home: SiteHome


class SiteInfo(Schema):
    name: str = Field(
        description="The Site's name (its site_name, else WAGTAIL_SITE_NAME, else its hostname)."
    )
    root_url: str = Field(description="scheme://host[:port] of the Site.")
    default_locale: str
    languages: list[SiteLanguage] = Field(
        description="The languages the site's root page is published in, in WAGTAIL_CONTENT_LANGUAGES order."
    )
    api_url: str = Field(description="This API's root (absolute URL).")


class SitemapAlternate(Schema):
    locale: str
    id: int
    html_url: str | None
    path: str | None = Field(description="The path of html_url, not percent-encoded.")


class SitemapEntry(Schema):
    id: int
    title: str
    type: str = Field(description="The page's Wagtail model, e.g. mmm_wagtail.NewsPage.")
    locale: str
    html_url: str | None = Field(description="The page on the public site (absolute URL, percent-encoded).")
    path: str | None = Field(
        description="The path of html_url, not percent-encoded (slugs as typed, e.g. /fr/journée/): "
        "split it on / for route parameters, encode each segment again for a URL.",
        examples=["/fr/delegations/"],
    )
    last_published_at: datetime.datetime | None
    translations: list[SitemapAlternate] = Field(
        description="The page's published versions in the site's other languages (hreflang alternates)."
    )


class Sitemap(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[SitemapEntry]


class RedirectPage(Schema):
    id: int
    html_url: str | None


class RedirectEntry(Schema):
    old_path: str = Field(
        description="The path redirected, as Wagtail's redirects app stores it (normalised: no trailing "
        "slash, query string sorted), percent-encoded.",
        examples=["/ancienne-page"],
    )
    location: str | None = Field(
        description="Where it leads: a path of this site when the target is a page of it or a "
        "site-relative link, else an absolute URL (None: a page outside every site)."
    )
    page: RedirectPage | None = Field(description="The target page, when the redirect names one.")
    is_permanent: bool = Field(description="301/308 when true, 302/307 when false.")
    site_specific: bool = Field(description="False when the redirect applies to every site.")


class RedirectList(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[RedirectEntry]


class RemovedEntry(Schema):
    page_id: int = Field(description="The news item's page id (its card's id while it was listed).")
    locale: str
    translation_key: str = Field(description="Shared by the item's translations.")
    removed_at: datetime.datetime = Field(
        description="When it left the listings (the last time, if several)."
    )


class RemovedList(Schema):
    count: int = Field(description="Removals matching locale and changed_since.")
    next: str | None
    previous: str | None
    items: list[RemovedEntry]
