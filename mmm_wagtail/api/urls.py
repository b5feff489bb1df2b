"""The API on its own: ``path("api/mmm/", include("mmm_wagtail.api.urls"))``.

(``mmm_wagtail.urls`` includes it, with the syndication feeds.) Interactive docs at
``docs``, the OpenAPI document at ``openapi.json``.
"""

from django.urls import path
from ninja import NinjaAPI

from ..preview.api import make_router as make_preview_router
from .errors import register_exception_handlers
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
api.add_router("", make_router())


urlpatterns = [path("", api.urls)]
