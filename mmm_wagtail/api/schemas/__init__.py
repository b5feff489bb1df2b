"""Pydantic/ninja schemas: ``common`` (shared with StreamField blocks) and ``resources``."""
