"""Upkeep of the news listing read model (``models.listing``).

- ``rows.py``: the rows the page tree calls for (``expected``), written for a set of pages
  (``refresh``), for everything (``rebuild``), or compared with what is stored (``drift``);
- ``receivers.py``: the changes that can alter a listing (publish, unpublish, save, move,
  slug change, view restrictions; deletes cascade) and the refresh each one calls for.

``manage.py rebuild_news_listing`` rebuilds it; ``--check`` reports drift without writing.
"""
