"""Tags of the package's page layout: display dates and hreflang alternates."""

from django import template
from django.utils import translation

from .. import conf
from ..queries import current

register = template.Library()


@register.simple_tag(takes_context=True)
def display_date(context, date):
    """``date`` in the ``DATE_FORMATS`` format of the page's language (the API's ``date_display``)."""
    from ..api.cards import date_display

    page = context.get("page") or context.get("object")
    locale = getattr(page, "locale", None)
    language = locale.language_code if locale is not None else translation.get_language()
    return date_display(date, language or "") if date else ""


@register.inclusion_tag("mmm_wagtail/hreflang.html", takes_context=True)
def hreflang_alternates(context, page):
    """``<link rel="alternate" hreflang>`` for every live, public translation of ``page``.

    Left out with one language, in previews (a draft's translations may not exist yet) and for
    a page that is not a saved Wagtail page.
    """
    request = context.get("request")
    links = []
    if (
        page is not None
        and getattr(page, "pk", None)
        and hasattr(page, "get_translations")
        and not getattr(request, "is_preview", False)
    ):
        # What a reader may get (the one rule): no link to an expired or hidden translation.
        pages = current(page.get_translations(inclusive=True)).select_related("locale")
        if len(pages) > 1:
            for translation_ in pages.order_by("locale__language_code"):
                url = translation_.get_full_url(request)
                if url:
                    links.append({"hreflang": translation_.locale.language_code, "href": url})
    return {"links": links}


@register.simple_tag
def stylesheet_enabled():
    return conf.get("STYLESHEET")
