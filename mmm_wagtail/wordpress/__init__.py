"""Import a WordPress site (its WXR export) into delegations and their news.

``wxr`` reads the export (safely), ``shortcodes`` and ``body`` turn a post's content into
StreamField blocks, ``media`` takes its images and documents from a copy of the uploads,
``translations`` groups WPML and Polylang translations, ``redirects`` keeps the old URLs,
``run`` puts it together for ``manage.py import_wordpress`` (docs/import.md).

Outside the layering contract, like ``management/``: it may use any layer, none uses it.
"""
