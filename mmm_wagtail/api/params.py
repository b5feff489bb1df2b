"""Query and path parameters: declared once, validated by hand, documented from the same declaration.

Views read ``request.GET`` through ``parse`` instead of ninja's typed arguments so that
every bad value, and every unknown parameter, is our 400 whichever NinjaAPI mounts the
router (Wagtail's API v3 would answer ninja's validation errors with its own 422);
``openapi_parameters`` turns the same declarations into the OpenAPI document, with every
constraint ``parse`` enforces, so a client generated from the document sends only what
the server accepts. The syndication views parse their parameters here too.

Every rule is an OpenAPI pattern that Python's ``re`` and ECMA-262 (JSON Schema's dialect,
with or without the ``u`` flag) read the same way, checked with ``fullmatch``: only explicit
characters and ranges of the Basic Multilingual Plane, no ``\\w``, ``\\d``, ``\\s`` or
``\\b`` (ASCII in ECMA-262, Unicode in Python) and no ``\\p{…}`` (``re`` has none; ECMA-262
reads it only with ``u``). ``tests/api/test_openapi.py`` compiles the document's patterns in
Node and compares every BMP character. Patterns end in ``(?!\\n)$``: Python's bare ``$``
also matches before a final newline (``re.search``, as jsonschema applies a pattern), and
``5\\n`` is not an id.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from wagtail.coreutils import get_content_languages

from .. import conf
from . import cursors
from .errors import ParameterError

ID_PATTERN = r"^[0-9]{1,18}(?!\n)$"
# A slug: ASCII letters, digits, "-" and "_", and any character of the Basic Multilingual
# Plane beyond ASCII except C1 controls, surrogates and the whitespace ECMA-262's \s knows
# (``WHITESPACE`` below): Wagtail's Unicode slugs (``maternité``, ``éducation``) in every
# script. Non-ASCII punctuation passes (then "no such tag", a 404 naming the parameter);
# characters beyond the BMP do not, since ECMA-262 without ``u`` counts them as two.
SLUG_CHARS = (
    r"-0-9A-Z_a-z\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e"
    r"\u2060-\u2fff\u3001-\ud7ff\ue000-\ufefe\uff00-\uffff"
)
SLUG_PATTERN = rf"^[{SLUG_CHARS}]{{1,255}}(?!\n)$"
ID_OR_SLUG_PATTERN = SLUG_PATTERN
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$"
# RFC 3339's date-time (JSON Schema's ``date-time``): seconds and an offset required, so a
# moment means one instant whatever the server's time zone.
DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})(?!\n)$"
)
# The whitespace ECMA-262's \s knows. Python's str.strip() knows more (U+001C…U+001F), so
# stripping with it would turn a value the document allows into an empty one.
WHITESPACE = " \t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_WHITESPACE_CHARS = " \t\n\v\f\r\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)
# Free text: no NUL byte (PostgreSQL refuses it in text, SQLite's search chokes on it) and
# something besides whitespace.
TEXT_PATTERN = f"^[^\\u0000]*[^{WHITESPACE}\\u0000][^\\u0000]*$"
PATH_PATTERN = r"^/[^\u0000]*$"
MAX_TEXT = 255
MAX_PATH = 2000
# A repeated parameter (tag, delegation) takes this many distinct values at most: each one
# is a clause of the listing's query, so the work one request can ask for stays bounded.
# Repeats of one value count once.
MAX_VALUES = 10
# Beyond this offset a listing is empty on any real site; the bound keeps the number
# within what every database takes.
MAX_OFFSET = 1_000_000
# The largest whole number a query parameter takes (the 18 digits ``_convert`` reads): the
# OpenAPI document states it for every integer parameter, so a client (or schemathesis)
# never sends a documented value the server rejects.
MAX_INT = 10**18 - 1

_ID = re.compile(ID_PATTERN)
_SLUG = re.compile(SLUG_PATTERN)
_DATE = re.compile(DATE_PATTERN)
_DATETIME = re.compile(DATETIME_PATTERN)
_CURSOR = re.compile(cursors.PATTERN)
_TEXT = re.compile(TEXT_PATTERN, re.DOTALL)
_PATH = re.compile(PATH_PATTERN, re.DOTALL)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "locale", "int", "date", "datetime", "text", "choice", "id_or_slug", "slug", "path", "cursor"
    description: str
    many: bool = False
    choices: tuple = ()
    minimum: int | None = None
    maximum: int | None = None
    maximum_key: str | None = None  # conf key holding the maximum
    default: object = None
    required: bool = False
    example: object = None
    schema_extra: dict = field(default_factory=dict)

    def maximum_value(self):
        return conf.get(self.maximum_key) if self.maximum_key else self.maximum

    def schema(self):
        if self.kind == "int":
            schema = {"type": "integer"}
            schema["minimum"] = -MAX_INT if self.minimum is None else self.minimum
            maximum = self.maximum_value()
            schema["maximum"] = MAX_INT if maximum is None else maximum
        elif self.kind == "date":
            schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
        elif self.kind == "datetime":
            schema = {"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}
        elif self.kind == "cursor":
            schema = {"type": "string", "pattern": cursors.PATTERN, "minLength": 1, "maxLength": 3000}
        elif self.kind == "choice":
            schema = {"type": "string", "enum": list(self.choices)}
        elif self.kind == "locale":
            schema = {"type": "string", "enum": list(get_content_languages())}
        elif self.kind in ("id_or_slug", "slug"):
            schema = {"type": "string", "pattern": SLUG_PATTERN, "minLength": 1, "maxLength": 255}
        elif self.kind == "path":
            schema = {"type": "string", "pattern": PATH_PATTERN, "minLength": 1, "maxLength": MAX_PATH}
        else:
            schema = {"type": "string", "pattern": TEXT_PATTERN, "minLength": 1, "maxLength": MAX_TEXT}
        if self.default is not None:
            schema["default"] = self.default
        schema.update(self.schema_extra)
        if self.many:
            return {"type": "array", "items": schema, "maxItems": MAX_VALUES}
        return schema


LOCALE = Param(
    "locale",
    "locale",
    "Language code of the content (one of WAGTAIL_CONTENT_LANGUAGES); default: the site's language.",
    example="fr",
)
LIMIT = Param(
    "limit",
    "int",
    "Items per page, 1 to API_MAX_LIMIT (default API_DEFAULT_LIMIT, 20).",
    minimum=1,
    maximum_key="API_MAX_LIMIT",
)
OFFSET = Param(
    "offset",
    "int",
    "Items to skip (the slower path: the database reads every skipped item; follow `next` instead). "
    "Not with cursor.",
    minimum=0,
    maximum=MAX_OFFSET,
    default=0,
)
CURSOR = Param(
    "cursor",
    "cursor",
    "Where the page starts, as the `next` or `previous` link of a page of this listing gives it "
    "(opaque; bound to the listing's other parameters, not to limit). Not with offset.",
)
CHANGED_SINCE = Param(
    "changed_since",
    "datetime",
    "Only news last published, or listed again, at or after this moment (RFC 3339, with its offset: "
    "2026-12-07T09:30:00Z), for a syncer that fetches only what changed; removed/ lists what left.",
    example="2026-12-07T09:30:00Z",
)

NEWS_LISTING = (
    LOCALE,
    Param(
        "delegation",
        "id_or_slug",
        f"A delegation's id or slug; repeat for several (news of any of them), {MAX_VALUES} at most. "
        "One that is not published here is a 404 naming this parameter.",
        many=True,
    ),
    Param(
        "tag",
        "slug",
        f"A tag slug (canonical or translated); repeat for several (news with all), {MAX_VALUES} at most. "
        "An unknown tag is a 404 naming this parameter.",
        many=True,
    ),
    Param("date_from", "date", "Only news dated on or after this day (YYYY-MM-DD)."),
    Param(
        "date_to",
        "date",
        "Only news dated on or before this day (YYYY-MM-DD); before date_from, nothing matches.",
    ),
    Param(
        "search",
        "text",
        f"Full-text search in title, excerpt, body, dateline and tags (1 to {MAX_TEXT} characters).",
    ),
    Param(
        "order",
        "choice",
        "Sort order; ties are broken by id.",
        choices=("-date", "date", "title", "-title"),
        default="-date",
    ),
    CHANGED_SINCE,
    LIMIT,
    OFFSET,
    CURSOR,
)
LOCALE_ONLY = (LOCALE,)
FEEDS_LISTING = (LOCALE, LIMIT, OFFSET)
# The whole-site listings (sitemap, redirects) a frontend reads at build time: large pages,
# so most sites need one request; each page is a fixed number of queries whatever its size.
BULK_MAX_LIMIT = 1000
BULK_LIMIT = Param(
    "limit",
    "int",
    f"Items per page, 1 to {BULK_MAX_LIMIT} (default {BULK_MAX_LIMIT}).",
    minimum=1,
    maximum=BULK_MAX_LIMIT,
    default=BULK_MAX_LIMIT,
)
SITEMAP_LISTING = (LOCALE, BULK_LIMIT, OFFSET, CURSOR)
REMOVED_LISTING = (
    LOCALE,
    Param(
        "changed_since",
        "datetime",
        "Only news removed at or after this moment (RFC 3339, with its offset: 2026-12-07T09:30:00Z).",
        example="2026-12-07T09:30:00Z",
    ),
    BULK_LIMIT,
    CURSOR,
)
REDIRECTS_LISTING = (BULK_LIMIT, OFFSET)
# Rich text (``paragraph`` blocks, the landing page's intro) as HTML or as Portable Text.
HTML, PORTABLE_TEXT = "html", "portable_text"
RICH_TEXT_FORMAT = Param(
    "rich_text_format",
    "choice",
    "Rich text as an HTML string (default) or as Portable Text nodes (https://portabletext.org).",
    choices=(HTML, PORTABLE_TEXT),
    default=HTML,
)
DETAIL = (RICH_TEXT_FORMAT,)
FIND = (
    Param("path", "path", "The page's path on the site, with or without a language prefix.", required=True),
    RICH_TEXT_FORMAT,
)


def openapi_parameters(params):
    """The OpenAPI ``parameters`` of an operation taking ``params``."""
    result = []
    for param in params:
        entry = {
            "name": param.name,
            "in": "query",
            "required": param.required,
            "description": param.description,
            "schema": param.schema(),
        }
        if param.many:
            entry["style"] = "form"
            entry["explode"] = True
        result.append(entry)
    return result


def parse(query, params):
    """Validated values of ``params`` from a QueryDict; ParameterError on the first bad one."""
    known = {param.name: param for param in params}
    for name in query:
        if name not in known:
            raise ParameterError(
                _shown(name),
                _("Unknown parameter. Known parameters: %(names)s.") % {"names": ", ".join(known)}
                if known
                else _("Unknown parameter: this address takes no parameters."),
            )
    values = {}
    for param in params:
        raw = query.getlist(param.name)
        if not raw:
            if param.required:
                raise ParameterError(param.name, _("This parameter is required."))
            values[param.name] = [] if param.many else _default(param)
            continue
        if not param.many and len(raw) > 1:
            raise ParameterError(param.name, _("Give this parameter once."))
        if param.many:
            # Repeats of one value are one filter; past MAX_VALUES distinct values, a 400
            # before any of them is converted or looked up.
            raw = list(dict.fromkeys(raw))
            if len(raw) > MAX_VALUES:
                raise ParameterError(
                    param.name, _("At most %(count)d different values.") % {"count": MAX_VALUES}
                )
        parsed = list(dict.fromkeys(_convert(param, value) for value in raw))
        values[param.name] = parsed if param.many else parsed[0]
    return values


def _default(param):
    if param.name == "limit" and param.default is None:
        return conf.get("API_DEFAULT_LIMIT")
    return param.default


def _shown(value):
    # Echo at most a little of what was sent: an error must not be a 100 KB page.
    return value if len(value) <= 60 else value[:60] + "…"


def _convert(param, value):
    kind = param.kind
    if kind == "int":
        if not re.fullmatch(r"-?[0-9]{1,18}", value):
            raise ParameterError(
                param.name, _("Expected a whole number, got “%(value)s”.") % {"value": _shown(value)}
            )
        number = int(value)
        if param.minimum is not None and number < param.minimum:
            raise ParameterError(param.name, _("Must be at least %(minimum)d.") % {"minimum": param.minimum})
        maximum = param.maximum_value()
        if maximum is not None and number > maximum:
            raise ParameterError(param.name, _("Must be at most %(maximum)d.") % {"maximum": maximum})
        return number
    if kind == "date":
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ParameterError(
                param.name, _("Expected a date as YYYY-MM-DD, got “%(value)s”.") % {"value": _shown(value)}
            ) from None
    if kind == "datetime":
        try:
            if not _DATETIME.fullmatch(value):
                raise ValueError
            moment = datetime.datetime.fromisoformat(value.upper())
        except ValueError:
            raise ParameterError(
                param.name,
                _("Expected a date and time with its offset, such as 2026-12-07T09:30:00Z, got “%(value)s”.")
                % {"value": _shown(value)},
            ) from None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            # A real moment whose UTC time falls outside the calendar (0001-01-01T00:00:00+01:00):
            # before, or after, every moment there is.
            edge = datetime.datetime.min if moment.year == 1 else datetime.datetime.max
            return edge.replace(tzinfo=datetime.UTC)
    if kind == "cursor":
        if not _CURSOR.fullmatch(value):
            raise ParameterError(
                param.name,
                _("Not a cursor of this API: pass on the one a page's next or previous link holds."),
            )
        return value
    if kind == "choice":
        if value not in param.choices:
            raise ParameterError(
                param.name, _("Expected one of %(choices)s.") % {"choices": ", ".join(param.choices)}
            )
        return value
    if kind == "locale":
        if value not in get_content_languages():
            raise ParameterError(
                param.name,
                _("Unknown locale “%(value)s”; expected one of %(choices)s.")
                % {"value": _shown(value), "choices": ", ".join(get_content_languages())},
            )
        return value
    if kind == "id_or_slug":
        return parse_id_or_slug(value, param.name)
    if kind == "slug":
        return parse_slug(value, param.name)
    if kind == "path":
        if len(value) > MAX_PATH or not _PATH.fullmatch(value):
            raise ParameterError(
                param.name,
                _("Expected a path starting with “/”, at most %(count)d characters, without NUL.")
                % {"count": MAX_PATH},
            )
        return value
    if len(value) > MAX_TEXT or not _TEXT.fullmatch(value):
        raise ParameterError(
            param.name,
            _("Expected 1 to %(count)d characters, not only spaces, without NUL.") % {"count": MAX_TEXT},
        )
    return value.strip(_WHITESPACE_CHARS)


def search_terms(value):
    """The words of a ``search`` value, safe for every search backend.

    Wagtail's database backend hands double quotes to SQLite's full-text MATCH, where an odd
    number of them is a syntax error (a 500): the API documents no phrase syntax, so quotes
    are word separators. None when no word is left (the search then matches nothing).
    """
    words = value.replace('"', " ").split()
    return " ".join(words) or None


def parse_id(value, parameter="id"):
    """A path id: digits only, else 400 (a malformed id is the client's mistake, not a 404)."""
    if not _ID.fullmatch(value):
        raise ParameterError(
            parameter, _("Expected a numeric id, got “%(value)s”.") % {"value": _shown(value)}
        )
    return int(value)


def parse_slug(value, parameter="slug"):
    if not _SLUG.fullmatch(value):
        raise ParameterError(parameter, _("Expected a slug, got “%(value)s”.") % {"value": _shown(value)})
    return value


def parse_id_or_slug(value, parameter="id"):
    if _ID.fullmatch(value):
        return int(value)
    if _SLUG.fullmatch(value):
        return value
    raise ParameterError(
        parameter, _("Expected an id or a slug, got “%(value)s”.") % {"value": _shown(value)}
    )
