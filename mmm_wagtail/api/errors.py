"""API errors as JSON: ``{"errors": [{"parameter": ..., "message": ...}]}`` everywhere.

Views raise ``ApiError`` subclasses; ``handle_errors`` turns them into responses inside
the view, so the shape is ours whichever NinjaAPI mounts the router (Wagtail's API v3
has exception handlers of its own). ``register_exception_handlers`` covers what happens
before a view runs on our standalone API (ninja's 422 validation becomes a 400).
"""

import functools
import json

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError


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


def error_response(status, errors):
    body = json.dumps({"errors": errors}, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def handle_errors(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ApiError as exc:
            return _keep_404(request, error_response(exc.status, exc.errors))
        except Http404:
            return _keep_404(request, error_response(404, NotFound().errors))

    return wrapper


def _keep_404(request, response):
    # Django's LocaleMiddleware answers a 404 under i18n_patterns(prefix_default_language)
    # with a redirect to /<language>/<path> when that path resolves, and Wagtail's
    # catch-all page route resolves everything: an API client would get a 302 to an
    # HTML page. The middleware reads the URLconf of the request; pointing it at ours,
    # which has no language prefix, keeps the JSON 404.
    if response.status_code == 404:
        request.urlconf = "mmm_wagtail.api.urls"
    return response


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
        return error_response(400, errors)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return error_response(exc.status_code, [{"parameter": None, "message": str(exc)}])

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(404, [{"parameter": None, "message": _("Not found.")}])

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return error_response(exc.status, exc.errors)
