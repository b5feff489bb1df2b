"""Models of the package, one module per concept."""

from .feeds import NewsFeed
from .freshness import ContentTag
from .listing import NewsListing, NewsListingDelegation
from .pages import DelegationIndexPage, DelegationPage, NewsPage, NewsPageTag
from .tags import TagTranslation
from .webhooks import WebhookDelivery

__all__ = [
    "ContentTag",
    "DelegationIndexPage",
    "DelegationPage",
    "NewsFeed",
    "NewsListing",
    "NewsListingDelegation",
    "NewsPage",
    "NewsPageTag",
    "TagTranslation",
    "WebhookDelivery",
]
