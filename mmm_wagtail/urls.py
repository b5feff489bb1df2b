"""The one URL module a site includes: the JSON API and the syndication feeds.

path("api/mmm/", include("mmm_wagtail.urls"))
"""

from django.urls import include, path

urlpatterns = [
    path("", include("mmm_wagtail.syndication.urls")),
    path("", include("mmm_wagtail.api.urls")),
]
