"""The API against its own OpenAPI documents: schemathesis, all checks, both mounts.

Builds the demo site in a throw-away database (SQLite, or ``DATABASE_URL``), serves it with
``DEBUG`` off on a free port, and runs ``st run`` against the standalone mount
(``/api/mmm/openapi.json``) and against our operations inside Wagtail's API v3
(``/api/v3/openapi.json``, Wagtail 8). Fails unless every check passes (no 5xx, no response
that violates the document, no schema-valid request rejected, 405s where due...) and the
two runs sent at least ``MIN_REQUESTS`` requests between them, counted from their HAR reports.

    .venv/bin/python .ci/schemathesis.py            # about 4 minutes on the CI machine
    MMM_SCHEMATHESIS_EXAMPLES=20 .venv/bin/python .ci/schemathesis.py   # a quick look
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ST = str(Path(PYTHON).with_name("st"))
EXAMPLES = os.environ.get("MMM_SCHEMATHESIS_EXAMPLES", "160")
MIN_REQUESTS = int(os.environ.get("MMM_SCHEMATHESIS_MIN_REQUESTS", "5000"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    work = Path(tempfile.mkdtemp(prefix="mmm-schemathesis-"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(work / "media"),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{work / 'db.sqlite3'}"),
        # Positive cases carry no made-up cursor (see the module).
        "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
        # Their own folder: .ci itself holds this script, which would shadow the package.
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / ".ci" / "hooks"), os.environ.get("PYTHONPATH")])
        ),
    }
    manage = [PYTHON, "manage.py"]
    cwd = ROOT / "example_project"
    subprocess.run([*manage, "migrate", "-v0"], cwd=cwd, env=env, check=True)
    subprocess.run([*manage, "load_demo_content", "-v0"], cwd=cwd, env=env, check=True)
    port = int(
        os.environ.get("MMM_SCHEMATHESIS_PORT") or free_port()
    )  # a port of one's own, on a shared machine
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "server.log", "w"),  # noqa: SIM115 - lives as long as the server
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/api/mmm/openapi.json", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        mounts = [("standalone", "/api/mmm/openapi.json", "^/api/mmm/")]
        try:
            urllib.request.urlopen(base + "/api/v3/openapi.json", timeout=5)
            mounts.append(("wagtail-v3", "/api/v3/openapi.json", "^/api/v3/mmm/"))
        except OSError:
            print("No Wagtail API v3 here (Wagtail 7.4): the standalone mount only.")
        # The mounts side by side, each its own st process (one worker each: hypothesis is not
        # thread-safe in its lambda source cache), their output printed whole once both are done.
        runs = []
        for name, schema, paths in mounts:
            har = work / f"{name}.har"
            command = [
                ST,
                "run",
                base + schema,
                f"--include-path-regex={paths}",
                "--checks=all",
                f"--max-examples={EXAMPLES}",
                "--workers=1",
                "--no-shrink",
                "--seed=15",
                "--report=har",
                f"--report-har-path={har}",
            ]
            log = open(work / f"{name}.log", "w+")  # noqa: SIM115 - read back below
            runs.append((name, har, log, command, subprocess.Popen(command, env=env, stdout=log, stderr=log)))
        total, failed = 0, []
        for name, har, log, command, process in runs:
            returncode = process.wait()
            log.seek(0)
            print("$", " ".join(command), flush=True)
            print(log.read(), flush=True)
            log.close()
            if returncode != 0:
                failed.append(name)
            requests = len(json.loads(har.read_text())["log"]["entries"])
            print(f"{name}: {requests} requests", flush=True)
            total += requests
        print(f"schemathesis: {total} requests in total (at least {MIN_REQUESTS} wanted)")
        if failed:
            log = work / "server.log"
            sys.exit(f"schemathesis found failures on: {', '.join(failed)} (server log: {log})")
        if total < MIN_REQUESTS:
            sys.exit(f"only {total} requests: raise MMM_SCHEMATHESIS_EXAMPLES")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
