"""The API on its own: ``path("api/mmm/", include("mmm_wagtail.api.urls"))``.

(``mmm_wagtail.urls`` includes it, with the syndication feeds.) Interactive docs at
``docs``, the OpenAPI document at ``openapi.json``.
"""

import functools

from django.urls import URLPattern, URLResolver
from django.urls.resolvers import RoutePattern
from ninja import NinjaAPI

from ..preview.api import make_router as make_preview_router
from .errors import register_exception_handlers
from .router import make_router

api = NinjaAPI(
    title="MMM delegations API",
    version="1.0.0",
    description=(
        "Delegations, their news and combined feeds, card-ready and typed. Anonymous, read-only. "
        "Errors are RFC 9457 problem details (`application/problem+json`) whose `errors` member "
        'names each parameter at fault: `{"errors": [{"parameter": ..., "message": ...}]}`.'
    ),
    urls_namespace="mmm_wagtail_api",
    docs_url="docs",
    openapi_url="openapi.json",
)
register_exception_handlers(api)
# The preview's route first: the main router ends with a catch-all 404 for unknown paths.
api.add_router("", make_preview_router())
api.add_router("", make_router())


def _once_per_route(urls):
    """ninja adds one pattern per operation of a path (GET, HEAD…), the same route and name,
    each dispatching on the method to the same operations: only the first is ever reached.
    Dropping the others spares every request of a later path that many failed matches."""
    patterns, app_name, namespace = urls
    seen = set()
    kept = []
    for pattern in patterns:
        route = (str(pattern.pattern), getattr(pattern, "name", None))
        if route not in seen:
            seen.add(route)
            kept.append(pattern)
    return kept, app_name, namespace


def _first_segment(pattern):
    """The literal first segment every path ``pattern`` matches starts with, or None when
    it may match paths starting with anything (a converter, an empty include, a regex)."""
    if not isinstance(pattern.pattern, RoutePattern):
        return None
    route = str(pattern.pattern)
    head, slash, _rest = route.partition("/")
    if "<" in head or not (slash or isinstance(pattern, URLPattern)):
        return None
    return head


class FirstSegmentResolver(URLResolver):
    """A URLResolver that tries, for a path, only the patterns its first segment can match.

    Django tries every pattern of a resolver in order until one matches; the API's paths
    differ by their first segment (``news``, ``delegations``…), so ``delegations/4/`` needs
    not be matched against ``news/<id>/`` and the others first. Per first segment, a plain
    URLResolver (same route, app name and namespace) holds the patterns that segment can
    match, in their order, with those that match any (the catch-all); Django's own
    ``resolve`` runs on it, so a match is the one the full list gives. Reversing, checks and
    ``url_patterns`` see the full list.
    """

    # Matches of recent paths: a match depends on the path and the (fixed) patterns only,
    # and the resolvers above this one build a new ResolverMatch from it on every request.
    MEMO_SIZE = 2_000
    MEMO_PATH_LENGTH = 200

    def resolve(self, path):
        path = str(path)
        memo = self._memo
        found = memo.get(path)
        if found is None:
            narrowed = self._narrowed
            resolver = narrowed.get(path.partition("/")[0]) or narrowed[None]
            found = URLResolver.resolve(resolver, path)
            # What was tried before the match only feeds Django's debug 404 page (a path that
            # matches nothing raises instead): the resolvers above copy none of it per request.
            found.tried = None
            if len(path) <= self.MEMO_PATH_LENGTH:
                if len(memo) >= self.MEMO_SIZE:
                    memo.clear()
                memo[path] = found
        return found

    @functools.cached_property
    def _memo(self):
        return {}

    @property
    def _narrowed(self):
        narrowed = self.__dict__.get("_narrowed_resolvers")
        if narrowed is None:
            patterns = self.url_patterns
            heads = [_first_segment(pattern) for pattern in patterns]
            narrowed = {
                head: URLResolver(
                    self.pattern,
                    [pattern for pattern, own in zip(patterns, heads, strict=True) if own in (head, None)],
                    self.default_kwargs,
                    self.app_name,
                    self.namespace,
                )
                for head in {*heads, None}
            }
            self.__dict__["_narrowed_resolvers"] = narrowed
        return narrowed


def _mount(urls):
    patterns, app_name, namespace = _once_per_route(urls)
    return FirstSegmentResolver(
        RoutePattern("", is_endpoint=False), patterns, app_name=app_name, namespace=namespace
    )


urlpatterns = [_mount(api.urls)]
