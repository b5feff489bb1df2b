"""Tag tokens kept in a shared cache (Redis, Memcached, the database or file cache), so a hit
needs no database query.

Each dependency tag has a token in the cache: a random number, replaced by a new one after
every committed change of that tag (``renew``, called by ``signals`` once the transaction
has committed). A cached response records the tokens it read after it was built; it is
fresh while every one of them is still in the cache unchanged. Tokens are never compared
by size, only for equality: two changes renewing a tag in any order, or a token evicted and
created again, can only make an entry stale, never fresh again. The database's versions
(``versions.py``) stay the source of truth: ``api.caching`` only stores an entry when the
database says none of its tags changed since the version read before building it, and
checks a hit against the database now and then (docs/caching.md has the argument).
"""

import secrets

KEY = "mmm_wagtail:tag:%s"


def key(tag):
    return KEY % tag


def _new():
    return secrets.randbits(62)


def current(cache, tags):
    """The tokens of ``tags`` (created where missing), or None when the cache keeps none."""
    keys = [key(tag) for tag in tags]
    found = cache.get_many(keys)
    for name in keys:
        if name in found:
            continue
        token = _new()
        # add(): a token renewed meanwhile by a change wins over ours.
        if cache.add(name, token, timeout=None):
            found[name] = token
        else:
            found[name] = cache.get(name)
            if found[name] is None:
                return None
    return [found[name] for name in keys]


def renew(cache, tags):
    """New tokens for ``tags``: every entry that read the old ones is stale."""
    if tags:
        cache.set_many({key(tag): _new() for tag in tags}, timeout=None)
