"""API errors as RFC 9457 problem details (``application/problem+json``), one shape everywhere.

Every error under our mounts, 400, 404, 405 alike, is::

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "limit: Must be at least 1.",
     "errors": [{"parameter": "limit", "message": "Must be at least 1."}]}

the shape Wagtail 8's API v3 answers, with an ``errors`` member naming each parameter at fault.
Views raise ``ApiError`` subclasses; ``handle_errors`` turns them into responses inside the
view, so the shape is ours whichever NinjaAPI mounts the router (Wagtail's API v3 has
exception handlers of its own). What fails before a view runs has its own door:
``register_exception_handlers`` (ninja, standalone API), ``not_found``/``not_allowed`` (routes
of the router itself, so both mounts have them) and ``handler400`` (a rejected Host header,
raised by Django's middleware: the site's URLconf names it).
"""

import functools
import json
from http import HTTPStatus

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import defaults
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

PROBLEM_JSON = "application/problem+json"
# What our routes answer; every other method is a 405 naming them.
ALLOWED_METHODS = ("GET", "HEAD")
# Every other method of IANA's HTTP Method Registry (WebDAV's PROPFIND and its kin included):
# ninja dispatches on the methods registered for a path and answers any other with a plain-text
# 405 of its own, so ours are registered by name, on whichever NinjaAPI mounts the router.
OTHER_METHODS = [
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "QUERY",
    "PRI",
    "ACL",
    "BASELINE-CONTROL",
    "BIND",
    "CHECKIN",
    "CHECKOUT",
    "COPY",
    "LABEL",
    "LINK",
    "LOCK",
    "MERGE",
    "MKACTIVITY",
    "MKCALENDAR",
    "MKCOL",
    "MKREDIRECTREF",
    "MKWORKSPACE",
    "MOVE",
    "ORDERPATCH",
    "PROPFIND",
    "PROPPATCH",
    "REBIND",
    "REPORT",
    "SEARCH",
    "UNBIND",
    "UNCHECKOUT",
    "UNLINK",
    "UNLOCK",
    "UPDATE",
    "UPDATEREDIRECTREF",
    "VERSION-CONTROL",
]


class ApiError(Exception):
    status = 400

    def __init__(self, parameter, message):
        super().__init__(message)
        self.errors = [{"parameter": parameter, "message": str(message)}]


class ParameterError(ApiError):
    """A bad query or path parameter: HTTP 400."""


class NotFound(ApiError):
    status = 404

    def __init__(self, parameter="id", message=None):
        super().__init__(parameter, message or _("No such page, or it is not published."))


def problem(status, errors, request=None, **headers):
    """An ``application/problem+json`` response; ``errors`` as ``[{"parameter", "message"}]``."""
    detail = "; ".join(
        f"{error['parameter']}: {error['message']}" if error["parameter"] else error["message"]
        for error in errors
    )
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "errors": errors,
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_JSON)
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name] = value
    if request is not None:
        _keep_404(request, response)
    return response


# Kept for callers of the earlier name.
def error_response(status, errors):
    return problem(status, errors)


def handle_errors(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = _answer(view, request, *args, **kwargs)
        # Which site answers, and so every link and listing, depends on the Host header:
        # a shared cache must key on it.
        patch_vary_headers(response, ("Host",))
        return response

    return wrapper


def _answer(view, request, *args, **kwargs):
    try:
        return view(request, *args, **kwargs)
    except ApiError as exc:
        return problem(exc.status, exc.errors, request)
    except Http404:
        return problem(404, NotFound().errors, request)
    except SuspiciousOperation as exc:
        # TooManyFieldsSent (more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters) and its
        # kin, raised when the view first reads request.GET.
        return problem(400, [{"parameter": None, "message": str(exc)}], request)


def _keep_404(request, response):
    # Django's LocaleMiddleware answers a 404 under i18n_patterns(prefix_default_language)
    # with a redirect to /<language>/<path> when that path resolves, and Wagtail's
    # catch-all page route resolves everything: an API client would get a 302 to an
    # HTML page. The middleware reads the URLconf of the request; pointing it at ours,
    # which has no language prefix, keeps the JSON 404 (and stops APPEND_SLASH too).
    if response.status_code == 404:
        request.urlconf = "mmm_wagtail.api.urls"
    return response


def not_found(request, **kwargs):
    """Any path under the mount that is none of ours: a JSON 404, whatever the method.

    A path that is one of ours but for its final slash (``news``) names the right one: no
    redirect (APPEND_SLASH's would lose a POST's body and point GETs at HTML under i18n)."""
    message = _("No such address in this API.")
    if not request.path_info.endswith("/") and _is_ours(request, request.path_info + "/", catch_all=False):
        query = request.META.get("QUERY_STRING", "")
        right = request.path + "/" + ("?" + query if query else "")
        message = _("No such address in this API; the address ends with a slash: %(path)s") % {"path": right}
    return problem(404, [{"parameter": None, "message": message}], request)


def not_allowed(request, **kwargs):
    """A method other than GET or HEAD on one of our routes: 405 with ``Allow``."""
    message = _("Method %(method)s is not allowed here; use GET or HEAD.") % {"method": request.method}
    return problem(405, [{"parameter": None, "message": message}], request, Allow=", ".join(ALLOWED_METHODS))


def _is_ours(request, path=None, *, catch_all=True):
    try:
        match = resolve(path or request.path_info)
    except Resolver404:
        return False
    if not catch_all and match.url_name == "mmm_not_found":
        return False
    return bool(match.url_name) and match.url_name.startswith("mmm_")


def handler400(request, exception=None):
    """A site's ``handler400``: problem+json for our routes, Django's page elsewhere.

    Django rejects a Host header missing from ALLOWED_HOSTS (``DisallowedHost``) in its
    middleware, before any view: only the root URLconf's handler400 sees it.
    """
    if _is_ours(request):
        return problem(400, [{"parameter": None, "message": str(exception or _("Bad request."))}])
    return defaults.bad_request(request, exception)


def _parameter_of(loc):
    # ninja reports ("query", "limit") or ("path", "id"); the last name is the parameter.
    names = [str(part) for part in loc if part not in ("query", "path", "body", "header", "cookie")]
    return names[-1] if names else None


def register_exception_handlers(api):
    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc):
        errors = [
            {"parameter": _parameter_of(error.get("loc", ())), "message": error.get("msg", "")}
            for error in exc.errors
        ]
        return problem(400, errors, request)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return problem(exc.status_code, [{"parameter": None, "message": str(exc)}], request)

    @api.exception_handler(Http404)
    def http404(request, exc):
        return problem(404, [{"parameter": None, "message": _("Not found.")}], request)

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return problem(exc.status, exc.errors, request)


# -- wiring into a Router ------------------------------------------------------------------


def problem_responses():
    """OpenAPI ``responses`` for our errors, declared with the media type they are sent as."""
    from .schemas.common import Problem

    content = {PROBLEM_JSON: {"schema": _inline(Problem.model_json_schema())}}
    return {
        "400": {"description": "A bad parameter, named in `errors`.", "content": content},
        "404": {"description": "No such object here (or not published).", "content": content},
    }


def _inline(schema):
    # The document holds this schema outside ``components``: its ``$defs`` references
    # would not resolve there, so they are replaced by what they point to.
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(defs[node["$ref"].rsplit("/", 1)[1]])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    return walk(schema)


def add_undocumented_methods(router, path, view, url_name):
    """HEAD answered like GET, any other method a 405 with ``Allow``, on ``path`` of ``router``.

    ninja answers an unregistered method with a plain-text 405 and knows no HEAD; these
    operations stay out of the OpenAPI document (a HEAD is a GET without its body, which
    Django's handlers strip).
    """
    router.add_api_operation(path, ["HEAD"], view, url_name=url_name, include_in_schema=False)

    @functools.wraps(view)  # the same signature: ninja binds the same path parameters
    def refuse(request, *args, **kwargs):
        return not_allowed(request)

    router.add_api_operation(path, list(OTHER_METHODS), refuse, url_name=url_name, include_in_schema=False)


# Every method an operation of ours is registered for: ninja answers any other name (``BREW``,
# ``FOOBAR``: HTTP allows any token) with its own plain-text 405.
REGISTERED_METHODS = frozenset((*ALLOWED_METHODS, *OTHER_METHODS))


def refusing_other_methods(view, *, unknown_path=False):
    """``view`` (the Django view of one of our routes) answering a method no operation is
    registered for with our 405 (our 404 on the catch-all route), before ninja's own."""
    refuse = not_found if unknown_path else not_allowed

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in REGISTERED_METHODS:
            return refuse(request)
        return view(request, *args, **kwargs)

    return wrapper


def add_catch_all(router):
    """A JSON 404 for every other path under the mount (no redirect to an HTML page)."""

    def unknown_path(request, rest: str):
        return not_found(request)

    methods = [*ALLOWED_METHODS, *OTHER_METHODS]
    router.add_api_operation(
        "{path:rest}", methods, unknown_path, url_name="mmm_not_found", include_in_schema=False
    )
