"""Every method under both mounts, feeds too, answers problem+json (#20 item 7: PROPFIND was a text 405)."""

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
