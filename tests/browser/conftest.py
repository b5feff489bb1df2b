"""Fixtures of the browser tests: Debian's headless Chromium driven by Playwright's sync API.

The tests run against pytest-django's ``live_server``, so they need a transactional database;
``serialized_rollback`` gives each one back the rows Wagtail's migrations create (root page,
default site, locales, groups) that the flush after a transactional test wipes out.
"""

import os
import threading
import urllib.request
from functools import partial
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections

from .support import CHROMIUM, CHROMIUM_ARGS, EDITOR_PASSWORD


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the whole package.

    While Playwright's sync API is active, its event loop counts as running in this thread.
    Django then (1) refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and (2) looks
    connections up per async context instead of per thread, so the tests would get fresh
    connection objects that lack the test database's serialized contents; handing the
    thread's own connections to that context keeps one connection per database, as in any
    other test. Both last only as long as the browser."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("MMM_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    thread_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, connection in thread_connections.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    """Where screenshots go: $MMM_BROWSER_SCREENSHOTS, else artifacts/screenshots at the
    repository's root (git-ignored), a folder CI keeps."""
    path = Path(
        os.environ.get("MMM_BROWSER_SCREENSHOTS") or Path(__file__).parents[2] / "artifacts" / "screenshots"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.call_report = report


class RequestsInFlight:
    """WSGI wrapper counting the live server's requests until their response is closed.

    A request the browser gave up on (a page left while it still loads) keeps running in a
    server thread; if the test ended under it, it would touch the database after the test's
    access ended, or while it is being flushed. The page fixture waits for zero."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.count += 1
        try:
            return _ClosingResponse(self.app(environ, start_response), self._finished)
        except BaseException:
            self._finished()
            raise

    def _finished(self):
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_until_idle(self, server_url, timeout=10):
        # A connection the browser opened just before closing may still wait in the listen
        # backlog, uncounted; the server accepts in order, so once this request is answered
        # every earlier connection is being served, and counted.
        with urllib.request.urlopen(f"{server_url}/static/wagtailadmin/images/favicon.ico", timeout=timeout):
            pass
        with self.changed:
            return self.changed.wait_for(lambda: self.count == 0, timeout=timeout)


class _ClosingResponse:
    def __init__(self, response, on_close):
        self.response = response
        self.on_close = on_close

    def __iter__(self):
        return iter(self.response)

    def close(self):
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.on_close()


@pytest.fixture(scope="session")
def live_server_requests(live_server):
    httpd = live_server.thread.httpd
    counter = RequestsInFlight(httpd.get_app())
    httpd.set_app(counter)
    yield counter
    httpd.set_app(counter.app)


def _stay_on(origin, route):
    """Requests to other hosts (the admin's Gravatar avatars) never leave the machine, and
    the favicon the browser asks for by itself is answered here, not by the live server."""
    url = route.request.url
    if url == f"{origin}/favicon.ico":
        route.fulfill(status=204)
    elif url.startswith(f"{origin}/"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser, live_server, live_server_requests, request, screenshot_dir):
    """A fresh browser tab. The browser asks for English pages, so any French the tests
    see comes from the site or the editor's profile, not from the browser."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.route("**/*", partial(_stay_on, live_server.url))
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "call_report", None)
    if report is not None and report.failed:
        tab.screenshot(path=screenshot_dir / f"FAILED-{request.node.name}.png", full_page=True)
    context.close()
    assert live_server_requests.wait_until_idle(live_server.url), "the live server is still busy"


# Django's serialized rollback saves the rows of the migrations again as each transactional test
# starts, and their signals give the dependency tags new versions (at the clock's time): the demo's
# versions replace those, nothing being cached yet (the response cache is emptied first).
RELOADED = {"mmm_wagtail_contenttag"}


@pytest.fixture
def live_demo(live_server, _demo_rows):
    """The demo content (``load_demo_content --no-translations``'s rows, from the snapshot the
    ``demo`` fixture restores: tests/db_snapshot.py), written into the transactional test's
    database before anything else; returns the landing page."""
    from mmm_wagtail.models import DelegationIndexPage

    # Pages of a previous, flushed test may share primary keys with these on SQLite.
    cache.clear()
    _demo_rows.restore(rewritten=RELOADED)
    return DelegationIndexPage.objects.get(slug="delegations", locale__language_code="fr")


@pytest.fixture
def make_editor(django_user_model):
    """Creates an editor of the Moderators group (may edit and publish pages) with an
    admin language of their own."""
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    def make(username, language):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.com", EDITOR_PASSWORD, first_name=username.title()
        )
        user.groups.add(Group.objects.get(name="Moderators"))
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        return user

    return make


@pytest.fixture
def live_demo_translated(live_server, _demo_multilingual_rows):
    """The demo content with its English translation (wagtail-localize), for language switches
    (from a snapshot, as ``live_demo``); returns the French landing page."""
    from mmm_wagtail.models import DelegationIndexPage

    cache.clear()
    _demo_multilingual_rows.restore(rewritten=RELOADED)
    return DelegationIndexPage.objects.get(slug="delegations", locale__language_code="fr")
