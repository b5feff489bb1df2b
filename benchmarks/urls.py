"""The benchmarks' URLconf: the example site's, and Wagtail's own API v3 beside it.

The example site leaves Wagtail's v3 ``pages/`` out (``mysite/api_v3.py``: it lists expired
pages); ``bench_news.py`` still compares with it, at ``/api/v3-wagtail/``. Both v3 APIs use
Wagtail's URL namespace: our endpoints are reversed only through the example site's.
"""

from django.urls import path

from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available
from mysite.urls import urlpatterns as site_patterns

urlpatterns = list(site_patterns)
if wagtail_v3_available():
    from wagtail.api.v3.urls import api as wagtail_api_v3

    urlpatterns.insert(0, path("api/v3-wagtail/", wagtail_api_v3.urls))
