"""Preview in a headless frontend: editors see their unsaved edits in the site's real frontend.

- ``models.py``: ``PreviewState``, the editor's unsaved object as Wagtail's preview built it
  from the form, kept for as long as its token lives.
- ``tokens.py``: signed, short-lived tokens bound to one state of one object.
- ``modes.py``: ``HeadlessPreviewMixin``, the "frontend" preview mode of our pages and the
  NewsFeed snippet (the admin side), and the client URL it opens.
- ``api.py``: the ``preview/`` endpoint, answering a token with the object's detail payload,
  built by the same code as ``pages/{id}/``, ``news/{id}/``, ``delegations/{id}/`` and ``feeds/``.

Conventions of wagtail-headless-preview, so frontends written for it work: client URLs per
site with ``{SITE_ROOT_URL}``, ``content_type`` (``app_label.modelname``) and ``token``
query parameters.
"""
