"""Models of the package, one module per concept."""

from .feeds import NewsFeed
from .pages import DelegationIndexPage, DelegationPage, NewsPage, NewsPageTag
from .tags import TagTranslation

__all__ = [
    "DelegationIndexPage",
    "DelegationPage",
    "NewsFeed",
    "NewsPage",
    "NewsPageTag",
    "TagTranslation",
]
