"""Models of the package, one module per concept."""

from .feeds import NewsFeed
from .listing import NewsListing, NewsListingDelegation
from .pages import DelegationIndexPage, DelegationPage, NewsPage, NewsPageTag
from .tags import TagTranslation

__all__ = [
    "DelegationIndexPage",
    "DelegationPage",
    "NewsFeed",
    "NewsListing",
    "NewsListingDelegation",
    "NewsPage",
    "NewsPageTag",
    "TagTranslation",
]
