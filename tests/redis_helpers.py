"""Redis in tests: xdist workers (and CI's other steps) share one Redis database."""


def forget(cache):
    """Delete the keys under ``cache``'s own KEY_PREFIX only. ``cache.clear()`` is FLUSHDB: it
    would empty the entries of every other worker's test running at the same moment."""
    client = cache._cache.get_client(write=True)
    keys = client.keys(f"{cache.key_prefix}:*")
    if keys:
        client.delete(*keys)
