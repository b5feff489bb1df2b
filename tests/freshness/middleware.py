"""Which gunicorn worker answered, and whether from the response cache (test only)."""

import os


def worker_headers(get_response):
    pid = str(os.getpid())

    def middleware(request):
        response = get_response(request)
        response.headers["X-Worker"] = pid
        hit = getattr(response, "mmm_cache_hit", None)
        if hit is not None:
            response.headers["X-Mmm-Cache"] = "hit" if hit else "miss"
        return response

    return middleware
