"""Admin integration: snippet viewsets for news feeds and tag translations (multilingual sites only)."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, LocaleColumn, NumberColumn
from wagtail.coreutils import get_content_languages
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import CreateView, PreviewOnCreateView, SnippetViewSet

from .locales import as_locale
from .models import NewsFeed, TagTranslation
from .models.feeds import NewsFeedForm


def _delegations_label(feed):
    names = [delegation.acronym or delegation.title for delegation in feed.delegations.all()]
    return ", ".join(names) if names else _("All delegations")


def _tags_label(feed):
    return ", ".join(tag.name for tag in feed.tags.all()) or "—"


def _feed_columns():
    return [
        Column("slug", label=_("Slug")),
        NumberColumn("item_count", label=_("Items"), sort_key="item_count"),
        Column("delegations", label=_("Delegations"), accessor=_delegations_label),
        Column("tags", label=_("Tags"), accessor=_tags_label),
    ]


class _FeedChooserColumnsMixin:
    """Shows editors which feed is which in the chooser, not only its title."""

    def get_object_list(self):
        return super().get_object_list().prefetch_related("delegations", "tags")

    @property
    def columns(self):
        columns = super().columns
        return [columns[0], *_feed_columns()[:3], *columns[1:]]


class NewsFeedChooseView(_FeedChooserColumnsMixin, ChooseView):
    pass


class NewsFeedChooseResultsView(_FeedChooserColumnsMixin, ChooseResultsView):
    pass


class NewsFeedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = NewsFeedChooseView
    choose_results_view_class = NewsFeedChooseResultsView


class NewsFeedCreateView(CreateView):
    def get_preview_url(self):
        # The preview of a feed not saved yet needs the language it is being created in.
        url = super().get_preview_url()
        if url and self.locale:
            url += "?" + urlencode({"locale": self.locale.language_code})
        return url


class NewsFeedPreviewOnCreateView(PreviewOnCreateView):
    def get_object(self):
        feed = super().get_object()
        code = self.request.GET.get("locale")
        feed.locale = as_locale(code, required=False) if code else None
        if feed.locale is None:
            feed.locale = Locale.get_default()
        return feed


class NewsFeedViewSet(SnippetViewSet):
    model = NewsFeed
    icon = "list-ul"
    menu_label = _("News feeds")
    menu_order = 300
    add_to_admin_menu = True
    chooser_viewset_class = NewsFeedChooserViewSet
    add_view_class = NewsFeedCreateView
    preview_on_add_view_class = NewsFeedPreviewOnCreateView
    # Plain database search: finds a feed by any part of its title, slug or introduction
    # in every language, without depending on the search index being up to date.
    search_backend_name = None
    search_fields = ["title", "slug", "intro"]
    ordering = ["title"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel(
                "intro",
                help_text=_("Optional: a sentence shown under the title, on pages and in the feed readers."),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("delegations", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("tags"),
                ],
                heading=_("Which news"),
                help_text=_(
                    "Only published news anyone can read are listed, newest first, each once. "
                    "Use the preview to see which items the feed lists now."
                ),
            ),
            MultiFieldPanel(
                [FieldPanel("item_count"), FieldPanel("teaser_length")],
                heading=_("Display"),
            ),
        ],
        base_form_class=NewsFeedForm,
    )

    @cached_property
    def list_display(self):
        # Translations share their slug: the language column tells "L'actualité des
        # délégations de MMM" from "News from MMM's delegations". Wagtail adds it only to its
        # default columns, and adds the language filter itself.
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return ["title", LocaleColumn(label=_("Language")), *_feed_columns()]
        return ["title", *_feed_columns()]

    def get_queryset(self, request):
        return NewsFeed.objects.select_related("locale").prefetch_related("delegations", "tags")


class TagTranslationViewSet(SnippetViewSet):
    model = TagTranslation
    icon = "tag"
    menu_label = _("Tag translations")
    list_display = ["tag", "locale", "name", "slug"]
    list_filter = ["locale"]
    search_fields = ["name", "slug"]


def multilingual():
    """Whether the site has more than one content language: translation admin is noise otherwise."""
    return getattr(settings, "WAGTAIL_I18N_ENABLED", False) and len(get_content_languages()) > 1


@hooks.register("construct_reports_menu")
def hide_translations_report(request, menu_items):
    # wagtail-localize's "Translations" report, always shown by its own hook.
    if not multilingual():
        menu_items[:] = [item for item in menu_items if item.name != "translations"]


register_snippet(NewsFeedViewSet)
if multilingual():
    register_snippet(TagTranslationViewSet)


@hooks.register("register_admin_viewset")
def _webhook_deliveries():
    from .webhooks.admin import webhook_delivery_viewset

    return webhook_delivery_viewset


# The headless preview's admin script (live updates posted to the frontend).
from .preview import admin as _preview_admin  # noqa: E402, F401
