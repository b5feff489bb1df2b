"""Response schemas, one per resource: what the OpenAPI document promises.

Views build plain dicts and serialise them themselves (for ETags and the shared cache);
the tests validate every response against these models, so the two cannot drift apart.
"""

from ninja import Schema

from .blocks import Body
from .common import DelegationMeta, Feed, Meta, NewsCard, Translation
from .portable_text import RichText


class NewsDetail(NewsCard):
    body: Body
    translations: list[Translation]


class NewsList(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[NewsCard]


class Delegation(Schema):
    id: int
    title: str
    meta: DelegationMeta
    organisation: str
    acronym: str
    status: str
    locations: str
    summary: str
    news_heading: str
    news_intro: str
    latest_news: list[NewsCard]


class DelegationDetail(Delegation):
    body: Body
    translations: list[Translation]


class DelegationList(Schema):
    count: int
    items: list[Delegation]


class FeedList(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[Feed]


class DelegationIndex(Schema):
    id: int
    title: str
    meta: Meta
    intro: RichText
    delegations: list[Delegation]
    news_feed: Feed | None
    body: Body
    translations: list[Translation]
