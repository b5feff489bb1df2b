"""A site's own app with page types named like the package's (see test_dropin.py)."""
