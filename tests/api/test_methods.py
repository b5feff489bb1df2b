"""Every method under both mounts, feeds too, answers problem+json (#20 item 7: PROPFIND was a text 405)."""

import io
import json

import pytest

from mmm_wagtail.api.errors import OTHER_METHODS
from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available

from .test_hostile import problem

MOUNTS = ["/api/mmm/", *(["/api/v3/mmm/"] if wagtail_v3_available() else [])]
PATHS = ["", "news/", "news/1/", "delegations/1/", "feeds/", "feeds/x/", "pages/find/?path=/"]


@pytest.mark.parametrize("mount", MOUNTS)
@pytest.mark.parametrize("path", PATHS)
def test_every_registered_method_is_a_problem_405_with_allow(tree, client, mount, path):
    for method in OTHER_METHODS:
        response = client.generic(method, mount + path)
        problem(response, 405, None)
        assert response["Allow"] == "GET, HEAD", method


@pytest.mark.parametrize("path", ["feeds/x/rss/", "feeds/x/atom/", "delegations/1/json/"])
@pytest.mark.parametrize("method", ["PROPFIND", "MKCOL", "BREW"])
def test_feeds_refuse_any_method_with_a_problem_405(tree, client, path, method):
    response = client.generic(method, "/api/mmm/" + path)
    problem(response, 405, None)


@pytest.mark.parametrize("mount", MOUNTS)
@pytest.mark.parametrize("method", ["PROPFIND", "LOCK", "SEARCH"])
def test_unknown_paths_stay_problem_404s_whatever_the_method(tree, client, mount, method):
    problem(client.generic(method, mount + "nope/"), 404, None)


@pytest.mark.parametrize("path", [*PATHS, "preview/"])
@pytest.mark.parametrize("method", ["FOOBAR", "BREW", "M-SEARCH"])
def test_a_method_outside_the_registry_is_our_405_too(tree, client, path, method):
    # HTTP allows any token as a method; ninja answers one no operation is registered for
    # with a plain-text 405 of its own (#20 item 7).
    response = client.generic(method, "/api/mmm/" + path)
    problem(response, 405, None)
    assert response["Allow"] == "GET, HEAD"
    assert method in response.json()["detail"]


def test_a_method_outside_the_registry_on_an_unknown_path_is_our_404(tree, client):
    problem(client.generic("FOOBAR", "/api/mmm/nope/"), 404, None)


def test_a_raw_foobar_request_is_our_405(tree):
    """The request as a socket would bring it: Django's WSGI handler, nothing in between."""
    from django.core.handlers.wsgi import WSGIHandler

    environ = {
        "REQUEST_METHOD": "FOOBAR",
        "PATH_INFO": "/api/mmm/news/",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    body = b"".join(WSGIHandler()(environ, start_response))
    assert started["status"].startswith("405 ")
    assert started["headers"]["Content-Type"] == "application/problem+json"
    assert started["headers"]["Allow"] == "GET, HEAD"
    assert json.loads(body)["status"] == 405
