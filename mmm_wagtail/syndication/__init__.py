"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for news feeds and delegations.

``urls.py`` holds the addresses, ``sources.py`` what each feed lists, ``views.py`` the
HTTP side (parameters, errors, caching), ``jsonfeed.py`` the JSON Feed writer and
``links.py`` the absolute addresses the API and templates link to.
"""
