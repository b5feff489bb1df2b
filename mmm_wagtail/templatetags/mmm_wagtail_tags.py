import re

from django import template
from wagtail.models import Page
from wagtail.templatetags.wagtailcore_tags import richtext

from ..queries import current

register = template.Library()

# An <a> of Wagtail's stored rich text that links to a page: <a linktype="page" id="12">.
_PAGE_LINK = re.compile(r"<a\b(?=[^>]*\blinktype=\"page\")[^>]*\bid=\"(\d{1,18})\"[^>]*>")


@register.simple_tag(takes_context=True)
def news_feed_items(context, feed):
    """The items a NewsFeed currently lists on the requesting site, for templates (Wagtail
    preview, blocks). A feed snippet is shared by every site of the installation; its items
    are scoped to the site rendering it, as the API's are."""
    return list(feed.news_for_context(context)) if feed else []


@register.filter
def mmm_richtext(value):
    """Wagtail's ``richtext``, with links to pages a reader cannot see (draft, private,
    expired, scheduled) left without their ``href``, as the API renders them: their URL
    would name, and their slug describe, what is not published."""
    source = getattr(value, "source", value) or ""
    ids = {int(pk) for pk in _PAGE_LINK.findall(source)}
    if ids:
        visible = set(current(Page.objects.filter(pk__in=ids)).values_list("pk", flat=True))

        def link(match):
            return match.group(0) if int(match.group(1)) in visible else "<a>"

        source = _PAGE_LINK.sub(link, source)
    return richtext(source)


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
