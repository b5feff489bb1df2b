"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for news feeds and delegations.

The URL names are public: the API (``meta.feeds``) and the page templates link to them.
Every path ends with the format, after the id or slug, so none collides with the API's
``feeds/<id-or-slug>/`` and ``delegations/<id>/``. The id and slug are taken as any text and
checked by the view (``api.params``): a malformed one is a JSON 400 naming it, not a miss
that falls through to the site's HTML pages, and an id too large for the database is no 500.
"""

from django.urls import path

from . import views

urlpatterns = [
    path(f"feeds/<str:slug>/{fmt}/", views.news_feed, {"fmt": fmt}, name=f"mmm_wagtail_feed_{fmt}")
    for fmt in views.FORMATS
] + [
    path(
        f"delegations/<str:pk>/{fmt}/",
        views.delegation_feed,
        {"fmt": fmt},
        name=f"mmm_wagtail_delegation_{fmt}",
    )
    for fmt in views.FORMATS
]
