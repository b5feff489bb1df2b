"""What other parts of the package call when content changes.

``content_changed(tags, event)`` (``cache.changes``) bumps the versions of the dependency
tags a change touches, in its transaction, and purges and sends webhooks after the commit.
The receivers that call it live in ``cache.receivers`` (a Site saved or deleted among them:
the per-process memo of hosts, ``cache.hosts``, is as fresh as that change's tag).
"""

from .cache.changes import content_changed

__all__ = ["content_changed", "connect"]


def connect():
    from .cache import receivers

    receivers.connect()
