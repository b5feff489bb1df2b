"""What the browser tests share besides fixtures: Chromium's command line, markers, signing in."""

import pytest

CHROMIUM = "/usr/bin/chromium"
# Nothing may reach the network: no updates, no sync, no QUIC probes from a CI container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
EDITOR_PASSWORD = "mot-de-passe"

# Every browser test is marked and runs on a transactional database (live_server needs one).
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, live_server, user):
    """Signs in through Wagtail's login form, as an editor would."""
    page.goto(f"{live_server.url}/admin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", EDITOR_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")
