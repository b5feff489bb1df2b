from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from demo.views import home
from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available

from .api_v2 import api_router

# A Host header missing from ALLOWED_HOSTS is refused before any view: under the API, as
# problem+json like every other API error.
handler400 = "mmm_wagtail.api.errors.handler400"

urlpatterns = [
    # First (docs/installation.md): Django tries the patterns in order, and each include it
    # tries and misses costs a raised and caught Resolver404 on every API request.
    path("api/mmm/", include("mmm_wagtail.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # A headless frontend reading only the API, to try it and test it in a browser.
    # Framed by Wagtail's preview panel (the "Headless frontend" preview mode): same origin only.
    path(
        "frontend/",
        xframe_options_sameorigin(TemplateView.as_view(template_name="frontend/index.html")),
        name="frontend",
    ),
]

if wagtail_v3_available():
    # Wagtail's v3 without its pages/ router, which lists expired pages (api_v3.py).
    from .api_v3 import api as wagtail_api_v3

    urlpatterns.append(path("api/v3/", wagtail_api_v3.urls))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# "/" is the delegations' landing page, not Wagtail's welcome page under it.
urlpatterns += [path("", home, name="home")]
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=True)
