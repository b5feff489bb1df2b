"""The CACHES of a freshness run: the gunicorn workers' and the process making the changes
share them, as a site's web workers, admin and cron jobs share one settings module."""


def caches_for(cache, redis_url=None, prefix="mmm-fresh"):
    if cache == "redis":
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
        return {"default": {**backend, "KEY_PREFIX": prefix}}
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
