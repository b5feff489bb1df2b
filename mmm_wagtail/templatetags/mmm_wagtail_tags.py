from django import template

from ..queries import resolve_feed

register = template.Library()


@register.simple_tag
def news_feed_items(feed):
    """The items a NewsFeed currently lists, for templates (Wagtail preview, blocks)."""
    return list(resolve_feed(feed)) if feed else []


@register.simple_tag(takes_context=True)
def unique_id(context, prefix):
    """An HTML id unique within the page being rendered: ``prefix-1``, ``prefix-2``…

    The same news item can be shown several times on one page (under two delegations and in
    the combined feed), so its id alone would repeat. The counter lives on the request:
    StreamField blocks render in a context of their own, but with the same request.
    """
    request = context.get("request")
    if request is not None:
        request._mmm_unique_id = getattr(request, "_mmm_unique_id", 0) + 1
        return f"{prefix}-{request._mmm_unique_id}"
    # No request (a template rendered on its own): the context's root, shared by includes.
    root = context.dicts[0]
    root["_mmm_unique_id"] = root.get("_mmm_unique_id", 0) + 1
    return f"{prefix}-{root['_mmm_unique_id']}"
