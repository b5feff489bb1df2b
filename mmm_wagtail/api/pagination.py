"""The ``next``/``previous`` links of a paginated listing (limit/offset)."""

from django.utils.http import urlencode

from .context import site_origin


def page_url(request, **changes):
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = str(value)
    # A repeated pair once, in a fixed order: equivalent requests share one cached entry
    # (``cache.responses``), so their links must not tell them apart.
    pairs = sorted((key, list(dict.fromkeys(values))) for key, values in query.lists())
    return site_origin(request) + request.path + "?" + urlencode(pairs, doseq=True)


def pagination(request, count, offset, limit):
    """``(next, previous)``: absolute URLs of the neighbouring pages, or None."""
    next_url = page_url(request, offset=offset + limit) if offset + limit < count else None
    previous_url = page_url(request, offset=max(offset - limit, 0)) if offset > 0 else None
    return next_url, previous_url
