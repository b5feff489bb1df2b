"""Purging CDNs after a change, through Wagtail's frontend cache (``WAGTAILFRONTENDCACHE``).

A backend that can purge by tag (a ``purge_tags(tags)`` method, as our
``CloudflareTagBackend`` and ``VarnishXkeyBackend`` have) gets the change's tags: every
response carrying one of them goes, whatever its query string and on every mount. Others get URLs: the API's
listings and the changed pages' details, for each mount our router has (the standalone
API and inside Wagtail's API v3) and each site. Both run as a task of Django's task
framework, after the commit.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from wagtail.contrib.frontend_cache.backends import CloudflareBackend, HTTPBackend

from ..tasks import task

# The route names of our root in each namespace our router may be mounted under.
API_ROOT = "mmm_api_root"
BATCH = 30


def configured():
    names = ("WAGTAILFRONTENDCACHE", "WAGTAILFRONTENDCACHE_LOCATION")
    return any(getattr(settings, name, None) for name in names)


def api_bases():
    """The path of our API root on every mount: ``/api/mmm/``, ``/api/v3/mmm/``…"""
    # Imported here: the API's modules import the cache's, which import this one.
    from ..api.wagtail_v3 import mounted_namespaces

    namespaces = ["mmm_wagtail_api", *mounted_namespaces()]
    bases = []
    for namespace in namespaces:
        try:
            bases.append(reverse(f"{namespace}:{API_ROOT}"))
        except NoReverseMatch:
            continue
    return bases


def paths_for(changed_tags):
    """API paths (below a mount) that show what ``changed_tags`` name: canonical URLs only."""
    paths = {"", "delegations/", "news/", "feeds/"}
    if {"mmm", "mmm-sitemap"} & set(changed_tags) or any(t.startswith("mmm-page-") for t in changed_tags):
        # What frontends build their routes from (a page of any type changes the sitemap).
        paths |= {"site/", "sitemap/", "redirects/"}
    for tag in changed_tags:
        if tag.startswith("mmm-page-"):
            pk = tag.removeprefix("mmm-page-")
            paths |= {f"news/{pk}/", f"delegations/{pk}/", f"pages/{pk}/"}
        elif tag.startswith("mmm-list-"):
            language = tag.removeprefix("mmm-list-")
            paths |= {f"{p}?locale={language}" for p in ("delegations/", "news/", "feeds/")}
    return sorted(paths)


def urls_for(changed_tags):
    from wagtail.models import Site

    roots = sorted({root_path.root_url for root_path in Site.get_site_root_paths()})
    return [root + base + path for root in roots for base in api_bases() for path in paths_for(changed_tags)]


def purge(changed_tags):
    """Enqueue the purge of ``changed_tags`` (call after the commit)."""
    if configured() and changed_tags:
        purge_task.enqueue(sorted(changed_tags), urls_for(changed_tags))


@task()
def purge_task(changed_tags, urls):
    from wagtail.contrib.frontend_cache.utils import get_backends

    for backend in get_backends().values():
        if hasattr(backend, "purge_tags"):
            for start in range(0, len(changed_tags), BATCH):
                backend.purge_tags(changed_tags[start : start + BATCH])
        else:
            allowed = [url for url in urls if backend.invalidates_hostname(_host(url))]
            if allowed:
                backend.purge_batch(allowed)


def _host(url):
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


class CloudflareTagBackend(CloudflareBackend):
    """Wagtail's Cloudflare backend, purging by cache tag (``Cache-Tag`` header) as well.

    ``WAGTAILFRONTENDCACHE = {"cloudflare": {"BACKEND":
    "mmm_wagtail.cache.purge.CloudflareTagBackend", "BEARER_TOKEN": ..., "ZONEID": ...}}``
    """

    def purge_tags(self, tags_to_purge):
        import requests

        headers = {"Content-Type": "application/json"}
        if self.cloudflare_token:
            headers["Authorization"] = f"Bearer {self.cloudflare_token}"
        else:
            headers["X-Auth-Email"] = self.cloudflare_email
            headers["X-Auth-Key"] = self.cloudflare_api_key
        body = {"tags": list(tags_to_purge)}
        response = requests.post(self.cloudflare_purge_endpoint_url, json=body, headers=headers, timeout=30)
        response.raise_for_status()


class VarnishXkeyBackend(HTTPBackend):
    """Wagtail's HTTP (Varnish) backend, purging by tag through the xkey vmod as well.

    Varnish must run ``docs/varnish/default.vcl`` (or its ``PURGE`` handling) and the site send
    its tags in an ``xkey`` header (``MMM_WAGTAIL["CACHE_TAG_HEADER"] = "xkey"``)::

        WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": "mmm_wagtail.cache.purge.VarnishXkeyBackend",
                                            "LOCATION": "http://127.0.0.1:6081"}}

    One ``PURGE`` request per batch of tags, naming them in its ``xkey-purge`` header; an answer
    other than 200 raises, so the task is recorded as failed (Wagtail's URL purge only logs).
    """

    TIMEOUT = 10

    def purge_tags(self, tags_to_purge):
        import http.client

        connection_class = (
            http.client.HTTPSConnection if self.cache_scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(self.cache_netloc, timeout=self.TIMEOUT)
        try:
            connection.request("PURGE", "/", headers={"xkey-purge": " ".join(tags_to_purge)})
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"Varnish answered {response.status} {response.reason} to an xkey purge")
