"""Issue #10, finding 5: the demo on SQLite answers overlapping admin requests without a 500.

Wagtail's admin refreshes the preview and autosaves while the editor types, so requests that
write (the preview data goes into the session) overlap. On SQLite's defaults that ended in
"database is locked". This starts the example site as a real multi-threaded server
(``runserver``) on its own SQLite file, with the settings the demo ships, and fires twenty
preview requests at once.
"""

import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests import db_template

EXAMPLE = Path(__file__).resolve().parent.parent / "example_project"
ROOT = EXAMPLE.parent
CONCURRENT = 20

pytestmark = [
    pytest.mark.sqlite_server,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "sqlite").split(":")[0] != "sqlite",
        reason="about the demo's SQLite configuration",
    ),
]

# The editors' sessions, made by Django's own login (``Client.force_login``) in the site's process:
# twenty logins through the form would spend most of the test hashing the same password.
EDITORS = f"""
import json
from django.contrib.auth.models import User
from django.test import Client
editor = User.objects.create_superuser("editor", "", "pw")
keys = []
for _ in range({CONCURRENT}):
    client = Client()
    client.force_login(editor)
    keys.append(client.session.session_key)
print(json.dumps(keys))
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage_steps(env, *steps):
    """The site's ``manage.py`` steps in one process (tests/site_process.py); their outputs."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.site_process", json.dumps(steps)],
        cwd=EXAMPLE,
        env={**env, "PYTHONPATH": os.pathsep.join([str(ROOT), str(EXAMPLE)])},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)
    for step, result in zip(steps, results, strict=True):
        assert result["returncode"] == 0, (step, result["stderr"][-3000:])
    return [result["stdout"] for result in results]


@pytest.fixture
def demo_server(tmp_path, django_db_setup):
    folder = tmp_path
    # The run's migrated database as migrate left it (no test has written to the template).
    db_template.copy_sqlite_template(folder / "db.sqlite3")
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        DJANGO_SETTINGS_MODULE="mysite.settings",
        DEBUG="0",
    )
    _loaded, editors = _manage_steps(
        env, ["load_demo_content", "--no-translations"], ["shell", "-c", EDITORS]
    )
    session_keys = json.loads(editors.strip().splitlines()[-1])
    port = _free_port()
    log = folder / "server.log"
    with open(log, "w") as errors:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
            cwd=EXAMPLE,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=errors,  # a file: a pipe nobody reads would block the server once full
            text=True,
        )
    try:
        _wait_until_serving(server, port, log)
        yield f"http://127.0.0.1:{port}", session_keys
    finally:
        server.terminate()
        # A 500's traceback (the example settings log request errors to the console).
        tracebacks = [line for line in log.read_text().splitlines() if "Error" in line or "Traceback" in line]
        if tracebacks:
            print("server errors:\n" + "\n".join(tracebacks[-20:]))
        server.wait(timeout=60)


def _wait_until_serving(server, port, log):
    """Until the server says it listens, however long its start takes on a busy machine (it
    once took more than the 20 s a polling loop gave it): its own line, then its socket."""
    for line in server.stdout:
        if line.startswith("Quit the server with"):
            break
    else:
        pytest.fail(f"runserver ended before serving: {log.read_text()[-3000:]}")
    while server.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)  # the socket is bound right after the line: a few rounds at most
    pytest.fail(f"runserver ended before serving: {log.read_text()[-3000:]}")


def _editor(base, session_key):
    """A browser of the logged-in editor: its session cookie, and the CSRF cookie the login page
    hands out (Django's CSRF token lives in its cookie, not in the session)."""
    session = requests.Session()
    assert session.get(base + "/admin/login/").ok
    session.cookies.set("sessionid", session_key, domain="127.0.0.1")
    return session


def test_twenty_concurrent_previews_give_no_500(demo_server):
    base, session_keys = demo_server
    # One editor per request, as twenty open admin tabs would be.
    sessions = [_editor(base, key) for key in session_keys]
    pages = sessions[0].get(base + "/api/mmm/news/", params={"locale": "fr", "limit": 5}).json()["items"]
    page = pages[0]

    def preview(number):
        session = sessions[number]
        url = f"{base}/admin/pages/{page['id']}/edit/preview/"
        data = {
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "title": f"{page['title']} ({number})",
            "slug": page["meta"]["slug"],
            "date": page["date"],
            "dateline": page.get("dateline") or "",
            "excerpt": f"Aperçu numéro {number}.",
            "image": "",
            "tags": "",
            "body-count": "0",
        }
        posted = session.post(url, data=data, headers={"Referer": url})
        shown = session.get(url, params={"mode": ""})
        return posted.status_code, posted.headers.get("Content-Type", ""), shown.status_code

    with ThreadPoolExecutor(CONCURRENT) as pool:
        results = list(pool.map(preview, range(CONCURRENT)))
    assert [result[0] for result in results] == [200] * CONCURRENT, results
    assert all(result[1].startswith("application/json") for result in results)
    assert [result[2] for result in results] == [200] * CONCURRENT, results
