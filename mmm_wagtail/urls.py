"""The one URL module a site includes: the JSON API and the syndication feeds.

path("api/mmm/", include("mmm_wagtail.urls"))
"""

from django.urls.resolvers import RoutePattern

from .api.urls import FirstSegmentResolver
from .api.urls import urlpatterns as api_urlpatterns
from .syndication.urls import urlpatterns as feed_urlpatterns

# The feeds' patterns, then the API's, behind one resolver with no name or namespace of its
# own (reversing sees the same names): it tries only the patterns a path's first segment can
# match and remembers recent paths' matches, so a request to the API is not matched against
# every feed pattern first (cached hits are answered after URL resolution).
urlpatterns = [
    FirstSegmentResolver(RoutePattern("", is_endpoint=False), [*feed_urlpatterns, *api_urlpatterns])
]
