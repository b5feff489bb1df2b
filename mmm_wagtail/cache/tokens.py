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


# Keys made (prefix, version, ``KEY_FUNCTION``) per cache object: a few per entry and tag.
MADE_SIZE = 20_000


def reader(cache):
    """``read_many(keys)``, which answers like ``cache.get_many(keys)``.

    With Django's Redis backend on one server, one ``MGET`` through a client made once per
    cache object (``caches`` gives each thread its own), with each key made by the cache's
    own ``make_and_validate_key`` once: ``get_many`` makes a client and makes and
    validates every key on each call. Any other backend (or several Redis servers, where
    Django picks a server per read) goes through ``get_many``.
    """
    read_many = getattr(cache, "_mmm_read_many", None)
    if read_many is None:
        read_many = _redis_reader(cache) or cache.get_many
        cache._mmm_read_many = read_many
    return read_many


def _redis_reader(cache):
    try:
        from django.core.cache.backends.redis import RedisCache, RedisCacheClient
    except ImportError:  # pragma: no cover - Django without its Redis backend
        return None
    if type(cache) is not RedisCache or len(cache._servers) != 1:
        return None
    backend = cache._cache
    if type(backend) is not RedisCacheClient:
        return None
    client = backend.get_client(write=False)
    loads = backend._serializer.loads
    made = {}
    mget = _HeldConnection(client)

    def read_many(keys):
        names = []
        for name in keys:
            full = made.get(name)
            if full is None:
                if len(made) >= MADE_SIZE:
                    made.clear()
                full = made[name] = cache.make_and_validate_key(name)
            names.append(full)
        values = mget(names)
        return {name: loads(value) for name, value in zip(keys, values, strict=True) if value is not None}

    read_many.mget = mget
    return read_many


class _HeldConnection:
    """``MGET`` on one connection of ``client``'s pool, kept by the reader (one reader per cache
    object, so per thread): a hit sends the command and reads the reply without the pool's
    checkout and release, the retry wrapper and the metrics redis-py puts around every command
    (about 30 µs of a hit here). On any error the connection is dropped and the read goes
    through the client, which reconnects and retries; the next read makes a new connection."""

    def __init__(self, client):
        self.client = client
        self.connection = None

    def __call__(self, names):
        try:
            if self.connection is None:
                self.connection = self.client.connection_pool.make_connection()
            self.connection.send_command("MGET", *names)
            return self.connection.read_response()
        except Exception:
            if self.connection is not None:
                self.connection.disconnect()
                self.connection = None
            return self.client.mget(names)
