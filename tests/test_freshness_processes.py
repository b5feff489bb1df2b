"""A change made by one process is seen by the next request in every gunicorn worker.

Runs ``tests/freshness/scenario.py`` (see its docstring) with the default in-memory cache and
with Redis. Slow (about 3 minutes) and needs PostgreSQL and Redis on 127.0.0.1: ``pytest -m slow``.
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
@pytest.mark.skipif(
    not (_listening(5432) and _listening(6379)), reason="needs PostgreSQL and Redis on 127.0.0.1"
)
def test_changes_are_fresh_on_every_worker_with_memory_and_redis_caches():
    env = {**os.environ, "REDIS_URL": os.environ.get("MMM_FRESH_REDIS_URL", "redis://127.0.0.1:6379/5")}
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
