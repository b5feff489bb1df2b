"""The headless JSON API (django-ninja)."""
