"""The one URL module a site includes: the JSON API and the syndication feeds.

path("api/mmm/", include("mmm_wagtail.urls"))
"""

from .api.urls import urlpatterns as api_urlpatterns
from .syndication.urls import urlpatterns as feed_urlpatterns

# The feeds' patterns, then the API's, in one list rather than two includes: every request
# resolves through two fewer levels (cached hits are answered after URL resolution).
urlpatterns = [*feed_urlpatterns, *api_urlpatterns]
