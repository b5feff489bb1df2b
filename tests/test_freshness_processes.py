"""A change made by one process is seen by the next request in every gunicorn worker.

Runs ``tests/freshness/scenario.py`` (see its docstring) with the default in-memory cache and
with Redis. Slow (about 3 minutes) and needs PostgreSQL on 127.0.0.1 and Redis at ``REDIS_URL``:
``REDIS_URL=redis://127.0.0.1:6379/5 pytest -m slow``.
"""

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _listening(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(importlib.util.find_spec("gunicorn") is None, reason="gunicorn is not installed")
def test_changes_are_fresh_on_every_worker_with_memory_and_redis_caches(redis_url):
    if not _listening(5432):
        message = "needs PostgreSQL on 127.0.0.1:5432"
        pytest.fail(message) if os.environ.get("MMM_REQUIRE_SERVICES") == "1" else pytest.skip(message)
    env = {**os.environ, "REDIS_URL": redis_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.freshness.scenario", "--changes", "20", "--seed", "9"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
