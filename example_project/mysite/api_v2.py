"""Wagtail's own API v2, mounted for comparison (benchmarks) and for sites that use it.

Its pages follow the package's rule for what a reader may see (``readable_q``): a page whose
``expire_at`` has passed is gone at once, as from every endpoint of ours, not when
``publish_scheduled`` next runs.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from mmm_wagtail.models.querysets import readable_q


class CurrentPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(readable_q())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CurrentPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
