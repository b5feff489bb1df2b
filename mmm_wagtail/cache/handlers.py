"""Django's ``caches`` and ``connections`` looked up once per thread on the hit path.

``caches[alias]`` and ``connections[alias]`` go through asgiref's ``Local`` on every call (an
exception raised and caught outside an event loop); a cached hit needs each once. A
``PerThread`` keeps the thread's object for the alias, and forgets it when the setting it is
built from changes (``override_settings`` in tests).
"""

import threading

from django.core.signals import setting_changed

__all__ = ["PerThread"]


class PerThread:
    """``handler[alias]`` (Django's ``caches`` or ``connections``), kept per thread until the
    setting ``setting`` ("CACHES", "DATABASES") changes."""

    def __init__(self, handler, setting):
        self._handler = handler
        self._setting = setting
        self._local = threading.local()
        self._generation = 0
        setting_changed.connect(self._changed, weak=False)

    def _changed(self, setting, **kwargs):
        if setting == self._setting:
            self._generation += 1

    def __getitem__(self, alias):
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == self._generation and held[1] == alias:
            return held[2]
        value = self._handler[alias]
        self._local.held = (self._generation, alias, value)
        return value
