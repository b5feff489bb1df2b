"""Query parameters: declared once, validated by hand, documented from the same declaration.

Views read ``request.GET`` through ``parse`` instead of ninja's typed arguments so that
every bad value, and every unknown parameter, is our 400 whichever NinjaAPI mounts the
router; ``openapi_parameters`` turns the same declarations into the OpenAPI document.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from wagtail.coreutils import get_content_languages

from .. import conf
from .errors import ParameterError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[0-9]{1,18}$")
_SLUG = re.compile(r"^[-\w]{1,255}$")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "locale", "int", "date", "text", "choice", "id_or_slug", "slug", "path"
    description: str
    many: bool = False
    choices: tuple = ()
    minimum: int | None = None
    maximum_key: str | None = None  # conf key holding the maximum
    default: object = None
    required: bool = False
    example: object = None
    schema_extra: dict = field(default_factory=dict)

    def schema(self):
        if self.kind == "int":
            schema = {"type": "integer"}
            if self.minimum is not None:
                schema["minimum"] = self.minimum
        elif self.kind == "date":
            schema = {"type": "string", "format": "date"}
        elif self.kind == "choice":
            schema = {"type": "string", "enum": list(self.choices)}
        elif self.kind == "locale":
            schema = {"type": "string", "enum": list(get_content_languages())}
        else:
            schema = {"type": "string"}
        if self.default is not None:
            schema["default"] = self.default
        schema.update(self.schema_extra)
        if self.many:
            return {"type": "array", "items": schema}
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
OFFSET = Param("offset", "int", "Items to skip.", minimum=0, default=0)

NEWS_LISTING = (
    LOCALE,
    Param(
        "delegation",
        "id_or_slug",
        "A delegation's id or slug; repeat for several (news of any of them).",
        many=True,
    ),
    Param(
        "tag", "slug", "A tag slug (canonical or translated); repeat for several (news with all).", many=True
    ),
    Param("date_from", "date", "Only news dated on or after this day (YYYY-MM-DD)."),
    Param("date_to", "date", "Only news dated on or before this day (YYYY-MM-DD)."),
    Param("search", "text", "Full-text search in title, excerpt, body, dateline and tags."),
    Param(
        "order",
        "choice",
        "Sort order; ties are broken by id.",
        choices=("-date", "date", "title", "-title"),
        default="-date",
    ),
    LIMIT,
    OFFSET,
)
LOCALE_ONLY = (LOCALE,)
FEEDS_LISTING = (LOCALE, LIMIT, OFFSET)
FIND = (
    Param("path", "path", "The page's path on the site, with or without a language prefix.", required=True),
)


def openapi_parameters(params, path_params=()):
    """The OpenAPI ``parameters`` of an operation taking ``params`` (and ``path_params``)."""
    result = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": description,
            "schema": {"type": "string"},
        }
        for name, description in path_params
    ]
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
                name,
                _("Unknown parameter. Known parameters: %(names)s.") % {"names": ", ".join(known) or "none"},
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
        parsed = [_convert(param, value) for value in raw]
        values[param.name] = parsed if param.many else parsed[0]
    if values.get("date_from") and values.get("date_to") and values["date_from"] > values["date_to"]:
        raise ParameterError("date_to", _("date_to is before date_from."))
    return values


def _default(param):
    if param.name == "limit":
        return conf.get("API_DEFAULT_LIMIT")
    return param.default


def _convert(param, value):
    kind = param.kind
    if kind == "int":
        if not re.fullmatch(r"-?[0-9]{1,18}", value):
            raise ParameterError(
                param.name, _("Expected a whole number, got “%(value)s”.") % {"value": value}
            )
        number = int(value)
        if param.minimum is not None and number < param.minimum:
            raise ParameterError(param.name, _("Must be at least %(minimum)d.") % {"minimum": param.minimum})
        if param.maximum_key and number > conf.get(param.maximum_key):
            raise ParameterError(
                param.name, _("Must be at most %(maximum)d.") % {"maximum": conf.get(param.maximum_key)}
            )
        return number
    if kind == "date":
        try:
            if not _DATE.match(value):
                raise ValueError
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ParameterError(
                param.name, _("Expected a date as YYYY-MM-DD, got “%(value)s”.") % {"value": value}
            ) from None
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
                % {"value": value, "choices": ", ".join(get_content_languages())},
            )
        return value
    if kind == "id_or_slug":
        if _ID.match(value):
            return int(value)
        if _SLUG.match(value) and not value.isdigit():
            return value
        raise ParameterError(param.name, _("Expected an id or a slug, got “%(value)s”.") % {"value": value})
    if kind == "slug":
        if not _SLUG.match(value):
            raise ParameterError(param.name, _("Expected a slug, got “%(value)s”.") % {"value": value})
        return value
    if kind == "path":
        if not value.startswith("/") or len(value) > 2000:
            raise ParameterError(param.name, _("Expected a path starting with “/”."))
        return value
    value = value.strip()
    if not value or len(value) > 255:
        raise ParameterError(param.name, _("Expected 1 to 255 characters."))
    return value


def parse_id(value, parameter="id"):
    """A path id: digits only, else 400 (a malformed id is the client's mistake, not a 404)."""
    if not _ID.match(value):
        raise ParameterError(parameter, _("Expected a numeric id, got “%(value)s”.") % {"value": value})
    return int(value)


def parse_id_or_slug(value, parameter="id"):
    if _ID.match(value):
        return int(value)
    if _SLUG.match(value):
        return value
    raise ParameterError(parameter, _("Expected an id or a slug, got “%(value)s”.") % {"value": value})
