from django import template

from ..queries import resolve_feed

register = template.Library()


@register.simple_tag
def news_feed_items(feed):
    """The items a NewsFeed currently lists, for templates (Wagtail preview, blocks)."""
    return list(resolve_feed(feed)) if feed else []
