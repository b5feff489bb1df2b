"""One webhook POST, bounded in total time, following no redirect.

``http.client`` rather than ``urllib``: urllib follows redirects (re-sending as a bodiless
GET to any host) and opens ``file://`` URLs, and its timeout bounds each socket read, so a
receiver dripping a byte at a time holds it for ever. Here the request runs in a thread of
its own and the caller stops waiting at a deadline, closing the socket under it.
"""

import base64
import contextlib
import http.client
import socket
import threading
from urllib.parse import unquote, urlsplit, urlunsplit

SCHEMES = {"http": http.client.HTTPConnection, "https": http.client.HTTPSConnection}
# A retry helps with these; any other 4xx (or a 3xx) will not change by itself.
RETRY_STATUSES = {408, 409, 425, 429}


def redact(url):
    """``url`` without its credentials: the userinfo and every query-string value become ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(an unreadable URL)"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rpartition("@")[2]
    query = "&".join(
        (item.partition("=")[0] + "=***") if "=" in item else item for item in parts.query.split("&") if item
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


class Post:
    """A POST of ``body`` to ``url``; ``start()`` it, ``wait(deadline)``, then read ``outcome``:
    ``(status, error, retry)``: status ``None`` when no answer came, error ``""`` on a 2xx,
    retry whether another attempt may do better."""

    def __init__(self, url, body, headers, timeout):
        self.url, self.body, self.timeout = url, body, timeout
        self.headers = dict(headers)
        self.outcome = None
        self.connection = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = None

    def refusal(self):
        """Why ``url`` is not sent to (checked at send time: settings may have changed), or ``None``."""
        try:
            parts = urlsplit(self.url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError as error:
            return f"Refused: a malformed URL ({error})."
        if parts.scheme not in SCHEMES:
            return (
                f"Refused: only http:// and https:// endpoints are sent to, not {parts.scheme or 'none'}://."
            )
        if not parts.hostname:
            return "Refused: the URL names no host."
        return None

    def start(self):
        refusal = self.refusal()
        if refusal:
            self._finish((None, refusal, False))
            return self
        parts = urlsplit(self.url)
        if parts.username is not None:
            userinfo = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            self.headers["Authorization"] = "Basic " + base64.b64encode(userinfo).decode()
        self.connection = SCHEMES[parts.scheme](parts.hostname, parts.port, timeout=self.timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._thread = threading.Thread(target=self._run, args=(target,), daemon=True, name="mmm-webhook")
        self._thread.start()
        return self

    def _run(self, target):
        try:
            self.connection.request("POST", target, body=self.body, headers=self.headers)
            response = self.connection.getresponse()
            location = response.getheader("Location")
            response.close()
            status, error = response.status, ""
            if not 200 <= status < 300:
                error = f"HTTP {status}"
                if 300 <= status < 400:
                    where = f" to {redact(location)}" if location else ""
                    error += f": a redirect{where}, not followed (configure the final URL)"
            outcome = (status, error, status >= 500 or status in RETRY_STATUSES)
        except Exception as error:  # anything a receiver makes us raise is its failure
            name = f"{type(error).__module__}.{type(error).__qualname__}".removeprefix("builtins.")
            # A bad header value will not change by itself; a network or protocol error may.
            outcome = (None, f"{name}: {error}"[:1000], not isinstance(error, ValueError))
        finally:
            self.connection.close()
        self._finish(outcome)

    def _finish(self, outcome):
        with self._lock:
            if self.outcome is None:
                self.outcome = outcome
        self._done.set()

    def wait(self, remaining):
        """Wait up to ``remaining`` seconds; then give up: close the socket, record a timeout."""
        if not self._done.wait(max(remaining, 0)):
            self._finish((None, f"TimeoutError: no complete answer within {self.timeout:g} s", True))
            sock = self.connection.sock if self.connection is not None else None
            if sock is not None:
                with contextlib.suppress(OSError):  # already closed by the other side
                    sock.shutdown(socket.SHUT_RDWR)
        return self.outcome
