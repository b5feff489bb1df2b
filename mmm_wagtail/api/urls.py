"""The API on its own: ``path("api/mmm/", include("mmm_wagtail.api.urls"))``.

(``mmm_wagtail.urls`` includes it, with the syndication feeds.) Interactive docs at
``docs``, the OpenAPI document at ``openapi.json``.
"""

from django.urls import path
from ninja import NinjaAPI
from ninja.constants import NOT_SET

from ..cache.responses import answering_hits_first
from ..preview.api import make_router as make_preview_router
from . import image_sizes
from .errors import refusing_other_methods, register_exception_handlers
from .router import make_router

api = NinjaAPI(
    title="MMM delegations API",
    version="1.0.0",
    description=(
        "Delegations, their news and combined feeds, card-ready and typed. Anonymous, read-only. "
        "Errors are RFC 9457 problem details (`application/problem+json`) whose `errors` member "
        'names each parameter at fault: `{"errors": [{"parameter": ..., "message": ...}]}`.'
    ),
    urls_namespace="mmm_wagtail_api",
    docs_url="docs",
    openapi_url="openapi.json",
)
register_exception_handlers(api)
# The preview's route first: the main router ends with a catch-all 404 for unknown paths.
api.add_router("", make_preview_router())
router = make_router()
api.add_router("", router)


def _ninja_checks_nothing(api):
    """Whether ninja runs nothing before our views but binding: no authentication and no
    throttling on the API (our routers and operations set none). Then a cached hit is
    answered before ninja (``cache.responses.answering_hits_first``)."""
    return getattr(api, "auth", NOT_SET) in (NOT_SET, None) and getattr(api, "throttle", NOT_SET) in (
        NOT_SET,
        None,
        [],
    )


def _our_patterns(urls, cached_routes=frozenset()):
    """ninja adds one pattern per operation of a path (GET, and the 405s of the other
    methods), each the same route and name dispatching to the same path view: only the
    first is ever reached. Dropping the others spares every request of a later path that
    many failed matches. Our routes also answer any other method name with our 405
    (``errors.refusing_other_methods``; ninja's would be plain text), and the routes in
    ``cached_routes`` answer a fresh cached hit before ninja binds anything."""
    patterns, app_name, namespace = urls
    seen = set()
    kept = []
    for pattern in patterns:
        route = (str(pattern.pattern), getattr(pattern, "name", None))
        if route in seen:
            continue
        seen.add(route)
        name = pattern.name or ""
        if name.startswith("mmm_"):
            view = pattern.callback
            if name in cached_routes:
                view = answering_hits_first(view)
            view = refusing_other_methods(view, unknown_path=name == "mmm_not_found")
            pattern = path(str(pattern.pattern), view, pattern.default_args, name)
        kept.append(pattern)
    return kept, app_name, namespace


urlpatterns = [
    # Before the API: its router ends with a catch-all 404.
    path(
        "images/<str:signature>/<int:image_id>/<str:filter_spec>/",
        image_sizes.serve,
        name=image_sizes.URL_NAME,
    ),
    path("", _our_patterns(api.urls, router.cached_routes if _ninja_checks_nothing(api) else frozenset())),
]
