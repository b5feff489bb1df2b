"""WordPress's ``?p=ID`` and ``?page_id=ID`` addresses at a path that is a live page.

Wagtail's ``RedirectMiddleware`` only looks for a redirect when the response is a 404; but
``/?p=12`` (or ``/en/?page_id=12``) asks for the home page, which answers 200, so the
redirect the import made for it would never be used. This middleware looks the full path up
in Wagtail's redirects first, for requests carrying one of WordPress's query parameters only
(``p``, ``page_id``, ``cat``, ``tag``, ``author``: one query for those, none for any other
request: ``_is_wordpress_address``). Add it after Wagtail's:

    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "mmm_wagtail.wordpress.middleware.QueryRedirectMiddleware",
"""

from django import http
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

__all__ = ["QUERY_PARAMETERS", "QueryRedirectMiddleware"]

QUERY_PARAMETERS = ("p", "page_id", "cat", "tag", "author")
# WordPress's own addresses of that kind: nothing else in the query string, at the root of the
# WordPress site or under its language prefix (``/?p=12``, ``/blog/en/?p=12``). An API call
# such as ``/api/mmm/news/?tag=x`` is none of them and costs no query.
OTHER_WORDPRESS_PARAMETERS = ("lang",)
MAX_SEGMENTS = 2


def _is_wordpress_address(request):
    keys = set(request.GET)
    if not keys & set(QUERY_PARAMETERS) or keys - {*QUERY_PARAMETERS, *OTHER_WORDPRESS_PARAMETERS}:
        return False
    return len([segment for segment in request.path.split("/") if segment]) <= MAX_SEGMENTS


class QueryRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and _is_wordpress_address(request):
            path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
            redirect = get_redirect(request, path)
            if redirect is not None and redirect.link is not None:
                if redirect.is_permanent:
                    return http.HttpResponsePermanentRedirect(redirect.link)
                return http.HttpResponseRedirect(redirect.link)
        return self.get_response(request)
