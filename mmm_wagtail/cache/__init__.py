"""Freshness of cached responses across processes.

- ``versions.py``: the content tags' versions, kept in the database every process shares
  (``models.ContentTag``): ``bump`` on a change, ``changed_since`` on a cache hit,
  ``snapshot`` before a response is built, and when the next scheduled change
  (``go_live_at``, ``expire_at``) falls due.
- ``tags.py``: the names of the tags, what a response depends on and what a change touches.

The response caches themselves are ``api/caching.py`` (API and syndication); the signal
receivers that call ``bump`` are ``signals.py``. docs/caching.md explains the design.
"""
