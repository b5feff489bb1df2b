"""The response cache of the API and the feeds, and what keeps it fresh in every process.

The design, in one rule: **an entry is fresh unless one of its tags changed since its
version.** Every change bumps the versions of the dependency tags it touches, in the
database every process shares (``models.ContentTag``), inside the transaction that makes
the change; versions come from one counter row, so they grow in commit order. An entry
records the counter's version read before it was built and the tags it was built from; a
hit asks one indexed query, "has any of these tags a newer version (or is the counter
older than the entry: a rolled-back build)?", whatever the backend (Django's in-memory
cache, Redis, Memcached). No second scheme, no repair window: a hit is one cache read and
one query (with a shared cache, the read is of the process's own copy once it has one:
``responses.local_copies``, checked by the same query).

- ``dependency_tags.py``: the dependency tags' names, and one function per kind of response
  giving its tags from what the request resolved (the site's language when no locale is asked);
- ``versions.py``: ``bump``, ``changed_since`` (the hit's query), ``snapshot`` (the version
  and the next scheduled change, read before building);
- ``responses.py``: entries, hits, ETag, Last-Modified, 304s, Cache-Control, the tag header
  (``cached``, ``cached_json``, called in the views' bodies);
- ``changes.py``: ``content_changed(tags, event)``, once per transaction: bump now, purge
  (``purge.py``) and webhooks after the commit;
- ``receivers.py``: the signal receivers calling it, connected per sender (our models only).

docs/caching.md explains the design and why a change is never served late.
"""
