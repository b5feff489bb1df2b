"""Wagtail 8's API v3 as the example site mounts it: Wagtail's own v3 routers and error
handlers, our endpoints under ``mmm/``, and not Wagtail's ``pages/``.

Wagtail's public ``pages/`` tier (``wagtail.api.v3.querysets.get_pages_queryset``) lists
every page whose ``live`` flag is set: a page past its ``expire_at`` stays listed until
``publish_scheduled`` runs, and news under an unpublished delegation stay listed (Wagtail's
unpublish leaves the children live). The package's rule (``models.querysets.readable_q``)
hides both at once. v3 offers no hook to narrow that queryset (v2's
``get_base_queryset`` is what ``api_v2.py`` overrides), so the example site leaves the
``pages/`` router out rather than serve what every endpoint of ours hides; our
``pages/{id}/`` and ``pages/find/`` under ``mmm/`` follow the rule.
"""

from ninja import NinjaAPI
from wagtail.api.v3.errors import register_exception_handlers
from wagtail.api.v3.routers.schema import router as schema_router
from wagtail.api.v3.routers.sites import router as sites_router
from wagtail.api.v3.routers.whoami import router as whoami_router
from wagtail.api.v3.urls import api as wagtail_api

from mmm_wagtail.api.wagtail_v3 import add_to_wagtail_api

api = NinjaAPI(
    title=wagtail_api.title,
    version=wagtail_api.version,
    description=wagtail_api.description,
    urls_namespace="wagtailapi_v3",
    openapi_url="/openapi.json",
    docs_url="/docs/",
)
register_exception_handlers(api)
api.add_router("/schema/", schema_router)
api.add_router("/sites/", sites_router)
api.add_router("/", whoami_router)
add_to_wagtail_api(api)
