"""The ``next``/``previous`` links of a paginated list: offsets, or keyset cursors
(``cursors``), which every list that has them gives unless the request paged by offset."""

from django.utils.http import urlencode

from . import cursors
from .context import site_origin


def page_url(request, **changes):
    """The request's URL with ``changes`` to its query (None drops a parameter)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
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


def cursor_links(request, endpoint, positions, more, started, backwards=False):
    """``(next, previous)`` of a page read by keyset: ``positions`` are the page's rows'
    positions in order (``(value, id)``, JSON values), ``more`` whether rows lie beyond the page
    in the direction read, ``started`` the position it was read from (None: the first page).

    In the direction read, the link is there when a row is beyond the page; the other way,
    whenever the page did not start at the beginning (rows were passed to get here)."""

    def link(position, back):
        return page_url(request, offset=None, cursor=cursors.mint(endpoint, request.GET, position, back))

    if backwards:
        # Nothing before the position read from: what follows it starts at the first page.
        next_url = link(positions[-1], False) if positions else page_url(request, offset=None, cursor=None)
        previous_url = link(positions[0], True) if more else None
        return next_url, previous_url
    next_url = link(positions[-1], False) if more else None
    first = positions[0] if positions else started
    previous_url = link(first, True) if started is not None else None
    return next_url, previous_url
