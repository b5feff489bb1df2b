"""Opaque keyset cursors: where the next (or previous) page of a list starts.

A cursor holds the position of one row in its list's order (the order's column and the
row's id: a date or a title for ``news/``, a tree path for ``sitemap/``, a time for
``removed/``) and which way to read from it, with a digest of the endpoint and of every
other parameter of the request (filters, order, locale; not ``limit``), signed with the
site's ``SECRET_KEY`` (Django's ``signing``). A client cannot forge a position, and a cursor
sent with other filters, another order or to another endpoint is a 400 naming ``cursor``
rather than a page of some other list. Cursors do not expire: a position stays a
position (a row gone since is simply not there to read).
"""

import hashlib
import json

from django.core import signing
from django.utils.translation import gettext as _

from .errors import ParameterError

SALT = "mmm_wagtail.api.cursors"
# What a page's start does not depend on: its size, and the start itself.
UNBOUND = ("cursor", "offset", "limit")
# URL-safe base64 and the signer's separator: a link carries a cursor unescaped.
PATTERN = r"^[-0-9A-Za-z_.]{1,3000}(?!\n)$"


def _signer():
    # No timestamp (a position does not expire): one position always gives the same cursor.
    # Made per call: the key is SECRET_KEY (and its fallbacks) as the settings hold it now.
    return signing.Signer(salt=SALT, sep=".")


def _binding(endpoint, query):
    """A digest of ``endpoint`` and the request's parameters but ``UNBOUND`` (a QueryDict)."""
    raw = sorted((name, sorted(query.getlist(name))) for name in query if name not in UNBOUND)
    return hashlib.sha256(json.dumps([endpoint, raw]).encode()).hexdigest()[:24]


def text(value):
    """A stored position's value that must be a string (a title, a tree path)."""
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def mint(endpoint, query, position, backwards=False):
    """A cursor for the page after ``position`` (before it with ``backwards``), for the request
    parameters ``query``; ``position``: ``(value, id)`` with a JSON value (a string)."""
    value, pk = position
    payload = {"b": _binding(endpoint, query), "p": [value, pk], "r": int(backwards)}
    return _signer().sign_object(payload)


def read(endpoint, query, convert):
    """``(position, backwards)`` from the request's ``cursor`` (``query['cursor']``, already
    checked against ``PATTERN``), ``convert`` turning its stored value back into the column's
    type (ValueError or TypeError when it cannot); ParameterError when it is not one this API
    minted for this endpoint and these parameters."""
    raw = query["cursor"]
    try:
        payload = _signer().unsign_object(raw)
    except (signing.BadSignature, ValueError):  # ValueError: signed, yet not JSON
        raise ParameterError(
            "cursor", _("Not a cursor of this API: pass on the one a page's next or previous link holds.")
        ) from None
    if not isinstance(payload, dict) or payload.get("b") != _binding(endpoint, query):
        raise ParameterError(
            "cursor",
            _(
                "This cursor belongs to another listing (other filters, order or locale): "
                "start from the first page of this one."
            ),
        )
    try:
        value, pk = payload["p"]
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise TypeError(pk)
        return (convert(value), pk), bool(payload["r"])
    except (KeyError, TypeError, ValueError):
        # Signed by this site but not of this version's shape.
        raise ParameterError(
            "cursor", _("This cursor can no longer be read: start from the first page.")
        ) from None


def check_not_with_offset(query):
    """A page starts at a cursor or at an offset, not both."""
    if "cursor" in query and "offset" in query:
        raise ParameterError("offset", _("Give either cursor or offset, not both."))
