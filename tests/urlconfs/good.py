"""The include where docs/installation.md puts it: before Wagtail's catch-all."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("api/mmm/", include("mmm_wagtail.urls")),
    path("", include(wagtail_urls)),
]
