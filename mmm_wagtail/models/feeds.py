"""The NewsFeed snippet: an editor-built combined news feed."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminTagWidget
from wagtail.models import PreviewableMixin, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .. import conf
from ..locales import fallback_codes, language_of, site_roots
from ..preview.modes import HeadlessPreviewMixin
from ..sites import site_of_context
from .base import with_layout
from .listing import NewsListing
from .pages import NewsPage, NewsPageTag
from .querysets import roots_mapping


def _default_teaser_length():
    return conf.get("TEASER_LENGTH")


class NewsFeedForm(WagtailAdminModelForm):
    """The admin form of a feed: choices of its own language, friendly errors for what the
    database would refuse."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the delegations of the feed's own language (offering all would list every
        # delegation once per language), and keep any already chosen: a translation points
        # at the source's delegation until that one is translated.
        field = self.fields.get("delegations")
        if field is not None and self.instance.locale_id:
            chosen = self.instance.delegations.all() if self.instance.pk else []
            field.queryset = field.queryset.filter(
                Q(locale_id=self.instance.locale_id) | Q(pk__in=[d.pk for d in chosen])
            ).order_by("path")
        # Wagtail's slug script keeps accents ("Éducation UNESCO" -> "éducation-unesco"):
        # accept them here and transliterate in clean_slug, so the feed's addresses stay ASCII.
        slug_field = self.fields.get("slug")
        if slug_field is not None:
            self.fields["slug"] = forms.SlugField(
                allow_unicode=True,
                max_length=slug_field.max_length,
                label=slug_field.label,
                help_text=slug_field.help_text,
                widget=slug_field.widget,
            )
        # The same tag widget as news items (autocomplete, typed names) instead of a bare
        # multi-select of every tag of the site.
        tags_field = self.fields.get("tags")
        if tags_field is not None:
            self.fields["tags"] = forms.CharField(
                required=False,
                label=tags_field.label,
                help_text=tags_field.help_text,
                widget=AdminTagWidget(),
            )
            if self.instance.pk:
                self.initial["tags"] = edit_string_for_tags(self.instance.tags.all())

    def clean_tags(self):
        names = parse_tags(self.cleaned_data.get("tags") or "")
        tags = []
        for name in names:
            # A feed may be built before any news carries its tag: create it, as tagging a
            # news item would.
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            tags.append(tag)
        return tags

    def clean_slug(self):
        slug = slugify(self.cleaned_data["slug"])
        if not slug:
            raise ValidationError(
                _("Use at least one letter (a–z) or digit in the slug, e.g. education-unesco."),
                code="invalid",
            )
        # The locale is not a form field, so Django's own unique_together check skips
        # (slug, locale) and the save would end in an IntegrityError.
        if self.instance.locale_id:
            clash = NewsFeed.objects.filter(locale_id=self.instance.locale_id, slug=slug)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise ValidationError(
                    _("Another news feed of this language already uses this slug. Choose another one."),
                    code="unique",
                )
        return slug


class NewsFeed(HeadlessPreviewMixin, TranslatableMixin, PreviewableMixin, index.Indexed, ClusterableModel):
    title = models.CharField(
        _("title"),
        max_length=255,
        help_text=_('Shown above the items, e.g. "L\'actualité des délégations de MMM".'),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        allow_unicode=False,
        help_text=_(
            "Identifies the feed in the API and in its RSS/Atom addresses: letters, digits and "
            'hyphens; accents are dropped, e.g. "éducation-unesco" is saved as "education-unesco".'
        ),
    )
    intro = models.TextField(_("introduction"), blank=True)
    delegations = ParentalManyToManyField(
        "mmm_wagtail.DelegationPage",
        verbose_name=_("delegations"),
        blank=True,
        related_name="+",
        help_text=_("Draw news from these delegations only. Leave all unticked for all delegations."),
    )
    tags = ParentalManyToManyField(
        "taggit.Tag",
        verbose_name=_("tags"),
        blank=True,
        related_name="+",
        help_text=_("Only news with at least one of these tags. Leave empty for all news."),
    )
    item_count = models.PositiveSmallIntegerField(
        _("number of items"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many of the latest news items the feed lists (1 to 50)."),
    )
    teaser_length = models.PositiveSmallIntegerField(
        _("teaser length"),
        default=_default_teaser_length,
        validators=[MinValueValidator(20), MaxValueValidator(1000)],
        help_text=_("Maximum length of each item's teaser, in characters (20 to 1000)."),
    )

    # The admin panels are declared by the snippet viewset (wagtail_hooks.py).
    base_form_class = NewsFeedForm
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("intro"),
        index.FilterField("locale"),
    ]
    override_translatable_fields = [
        TranslatableField("title"),
        TranslatableField("intro"),
        SynchronizedField("slug"),
        SynchronizedField("item_count"),
        SynchronizedField("teaser_length"),
        # What a feed selects is the same in every language; mmm_wagtail.translating
        # re-points the delegations at the feed's own locale on every translation and sync.
        SynchronizedField("delegations", overridable=False),
        SynchronizedField("tags", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("news feed")
        verbose_name_plural = _("news feeds")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_preview_template(self, request, mode_name):
        return "mmm_wagtail/news_feed_preview.html"

    def get_preview_context(self, request, mode_name):
        context = with_layout(super().get_preview_context(request, mode_name))
        context["items"] = self.news_for_context({"request": request})
        return context

    def news_for_context(self, context):
        """:meth:`news` on the site a template context renders for (``sites.site_of_context``:
        the request's site, else the page's); none without a site. The one way a block, a
        template tag and a preview list a feed: a feed snippet is shared by every site of the
        installation, its items are not."""
        site = site_of_context(context)
        return self.news(site_roots(site)) if site is not None else NewsPage.objects.none()

    def news(self, root, locale=None):
        """The news this feed lists, newest first (in ``locale``, default the feed's own), within
        ``root``: a page, or ``{language code: url_path}`` such as ``locales.site_roots(site)``.
        ``root`` is required, never "every site": a caller rendering the feed for a request
        passes that request's site (:meth:`news_for_context` does).

        The items are chosen on the read model (an index range that stops at ``item_count``)
        and returned as a NewsPage queryset: still one query.
        """
        if root is None:
            raise TypeError("NewsFeed.news() needs the root of the site it lists news for.")
        locale = self.locale if locale is None else locale
        language = language_of(locale)
        roots = roots_mapping(language, root)
        chosen = NewsListing.objects.for_reader(fallback_codes(language, site=roots), roots)
        keys = [d.translation_key for d in self.delegations.all()]
        if keys:
            chosen = chosen.in_delegations(keys)
        tag_ids = [tag.pk for tag in self.tags.all()]
        if tag_ids:
            chosen = chosen.filter(
                Exists(NewsPageTag.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids))
            )
        chosen = chosen.in_order("-date").values("page_id")[: self.item_count]
        return NewsPage.objects.filter(pk__in=Subquery(chosen)).newest_first()
