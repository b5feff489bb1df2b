"""The one URL module a site includes: the JSON API and the syndication feeds.

path("api/mmm/", include("mmm_wagtail.urls"))
"""

from .api.urls import urlpatterns as api_patterns
from .syndication.urls import urlpatterns as syndication_patterns

# Both modules' patterns themselves, not includes of them: Django resolves each include as a
# level of its own (a match object made, a miss raised and caught), on every request.
urlpatterns = [*syndication_patterns, *api_patterns]
