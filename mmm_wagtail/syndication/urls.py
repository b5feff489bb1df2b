"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for news feeds and delegations.

The URL names are public: the API (``meta.feeds``) and the page templates link to them.
Every path ends with the format, after the id or slug, so none collides with the API's
``feeds/<id-or-slug>/`` and ``delegations/<id>/``.
"""

from django.urls import path

from . import views

urlpatterns = [
    path(f"feeds/<slug:slug>/{fmt}/", views.news_feed, {"fmt": fmt}, name=f"mmm_wagtail_feed_{fmt}")
    for fmt in views.FORMATS
] + [
    path(
        f"delegations/<int:pk>/{fmt}/",
        views.delegation_feed,
        {"fmt": fmt},
        name=f"mmm_wagtail_delegation_{fmt}",
    )
    for fmt in views.FORMATS
]
