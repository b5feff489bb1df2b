"""Models of the package, one module per concept."""

from .feeds import NewsFeed
from .freshness import ContentTag
from .listing import (
    NewsListing,
    NewsListingCount,
    NewsListingDelegation,
    NewsListingSearch,
    NewsRemoval,
)
from .pages import PAGE_TYPES, DelegationIndexPage, DelegationPage, NewsPage, NewsPageTag
from .tags import TagTranslation
from .webhooks import WebhookDelivery
from .wordpress import WordPressImport

# The preview's stored states (mmm_wagtail.preview) are models of this app too.
from ..preview.models import PreviewState  # noqa: E402, F401  isort: skip

__all__ = [
    "ContentTag",
    "DelegationIndexPage",
    "DelegationPage",
    "NewsFeed",
    "NewsListing",
    "NewsListingCount",
    "NewsListingDelegation",
    "NewsListingSearch",
    "NewsPage",
    "NewsPageTag",
    "NewsRemoval",
    "PAGE_TYPES",
    "TagTranslation",
    "WebhookDelivery",
    "WordPressImport",
]
