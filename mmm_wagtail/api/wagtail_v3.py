"""Mounting our endpoints inside Wagtail 8's API v3 (``wagtail.api.v3``).

Wagtail 8 builds its v3 API on django-ninja and exposes the NinjaAPI instance as
``wagtail.api.v3.urls.api``; routers must be added before its ``urls`` are first read::

    # urls.py
    from mmm_wagtail.api.wagtail_v3 import add_to_wagtail_api
    from wagtail.api.v3.urls import api as wagtail_api

    add_to_wagtail_api(wagtail_api)            # our endpoints at /api/v3/mmm/...
    urlpatterns = [path("api/v3/", wagtail_api.urls), ...]

Our views answer their own errors, so the error body keeps our shape there too. The
``preview/`` operation (``mmm_wagtail.preview.api``) comes along, at /api/v3/mmm/preview/, before
the router's catch-all 404 for unknown paths, as on the standalone mount.
"""

import importlib.util

from .router import make_router

PREFIX = "/mmm/"
# The URL namespaces of the v3 NinjaAPIs our routers were added to (Wagtail's own instance, or
# one a site builds with Wagtail's routers, as the example site does): purges reach each one.
_namespaces = []


def wagtail_v3_available():
    """Whether this Wagtail has API v3 (Wagtail 8+; 7.4 has not)."""
    return importlib.util.find_spec("wagtail.api.v3") is not None


def add_to_wagtail_api(api=None, prefix=PREFIX):
    """Add fresh copies of our routers to Wagtail's v3 NinjaAPI (default: Wagtail's own instance)."""
    from ..preview.api import make_router as make_preview_router

    if api is None:
        from wagtail.api.v3.urls import api
    # A URLconf may be imported again (tests that change settings reload it); the API
    # instance lives on and cannot take routers once its URLs exist.
    if getattr(api, "_mmm_wagtail_prefix", None) != prefix:
        api.add_router(prefix, make_preview_router())
        api.add_router(prefix, make_router())
        api._mmm_wagtail_prefix = prefix
        if api.urls_namespace not in _namespaces:
            _namespaces.append(api.urls_namespace)
    return api


def mounted_namespaces():
    """The URL namespaces of the v3 APIs ``add_to_wagtail_api`` added our routers to."""
    return tuple(_namespaces)
