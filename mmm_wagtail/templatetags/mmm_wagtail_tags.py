from django import template
from wagtail.templatetags.wagtailcore_tags import richtext

from .. import richtext as rt
from ..basepage import Page
from ..queries import current
from ..tag_names import tag_labels

register = template.Library()


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
    ids = {rt.id_of(attrs) for kind, attrs in rt.tags(source) if kind == ("a", "page")} - {None}
    if ids:
        visible = set(current(Page.objects.filter(pk__in=ids)).values_list("pk", flat=True))

        def link(linktype, attrs):
            if linktype != "page":
                return None  # Wagtail's filter renders it
            return None if rt.id_of(attrs) in visible else "<a>"

        source = rt.rewrite(source, link=link)
    return richtext(source)


@register.simple_tag
def localized_tags(tags, locale):
    """``[(tag, name)]``: ``tags`` (Tag objects, a page's ``page.tags.all``) with their names as readers
    of ``locale`` see them (``TagTranslation``, through ``tag_names.tag_labels``: one query), sorted
    by that name. A translated page's tags are its source's, in the source's language, so
    ``tag.name`` alone would show French names on an English page. Links keep the tag's own slug,
    which the landing page's ``?tag=`` and the API's ``tag`` parameter both take."""
    tags = list(tags)
    labels = tag_labels([tag.pk for tag in tags], locale)
    named = [(tag, labels.get(tag.pk, (tag.slug, tag.name))[1]) for tag in tags]
    return sorted(named, key=lambda pair: pair[1].casefold())


@register.simple_tag
def localized_tag_name(tag, locale):
    """One tag's name as readers of ``locale`` see it (``localized_tags``)."""
    return localized_tags([tag], locale)[0][1]


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
