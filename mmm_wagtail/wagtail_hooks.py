"""Admin integration: snippet viewsets for news feeds and tag translations."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import NewsFeed, TagTranslation


class NewsFeedViewSet(SnippetViewSet):
    model = NewsFeed
    icon = "list-ul"
    menu_label = _("News feeds")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "slug", "item_count", "locale"]
    search_fields = ["title", "intro"]


class TagTranslationViewSet(SnippetViewSet):
    model = TagTranslation
    icon = "tag"
    menu_label = _("Tag translations")
    list_display = ["tag", "locale", "name", "slug"]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


register_snippet(NewsFeedViewSet)
register_snippet(TagTranslationViewSet)
