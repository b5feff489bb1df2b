"""The three page types: landing page -> delegations -> news."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .. import conf
from ..basepage import Page
from ..blocks import BodyBlock
from ..locales import site_roots
from ..preview.modes import HeadlessPreviewMixin
from ..sites import find_site
from ..teasers import news_teaser
from .base import ExpiringPageMixin, with_layout
from .forms import NewsPageForm
from .querysets import ContentPageManager, DelegationPageManager, NewsPageManager


class DelegationIndexPage(HeadlessPreviewMixin, ExpiringPageMixin, Page):
    """The landing page of the section: intro, one block per delegation, a combined feed."""

    # Named, so that a site's own page type of the same class name does not clash on Page's
    # reverse accessor (fields.E304/E305 on Page.delegationindexpage).
    page_ptr = models.OneToOneField(
        Page, on_delete=models.CASCADE, parent_link=True, related_name="mmm_delegation_index_page"
    )

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "document-link"],
        help_text=_("Shown at the top of the page, before the delegations."),
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("Optional content shown after the delegations."),
    )
    news_feed = models.ForeignKey(
        "mmm_wagtail.NewsFeed",
        verbose_name=_("combined news feed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_('The feed listed under the delegations, e.g. "L\'actualité des délégations de MMM".'),
    )

    subpage_types = ["mmm_wagtail.DelegationPage"]
    template = "mmm_wagtail/pages/delegation_index_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("news_feed"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("body"), APIField("news_feed")]
    # Translated or synchronised as wagtail-localize derives it from each field's type
    # (text and the translatable feed translated): no override_translatable_fields.

    class Meta:
        verbose_name = _("delegations landing page")
        verbose_name_plural = _("delegations landing pages")

    objects = ContentPageManager()

    def get_context(self, request, *args, **kwargs):
        context = with_layout(super().get_context(request, *args, **kwargs))
        context["delegations"] = DelegationPage.objects.with_latest_news(self.locale, root=self)
        # ?tag=<slug>: the news pages' tag links (templates.md), the section's news with that tag.
        slug = request.GET.get("tag", "")
        tag = Tag.objects.filter(slug=slug).first() if slug else None
        if tag is not None:
            news = NewsPage.objects.readable(self.locale, site_roots(find_site(request))).filter(tags=tag)
            context["tag"] = tag
            context["tagged_news"] = list(news.newest_first()[: conf.get("DELEGATION_PAGE_NEWS")])
        return context


class DelegationPage(HeadlessPreviewMixin, ExpiringPageMixin, Page):
    """One delegation of MMM to an international organisation."""

    # Named, so that a site's own page type of the same class name does not clash on Page's
    # reverse accessor (fields.E304/E305 on Page.delegationpage).
    page_ptr = models.OneToOneField(
        Page, on_delete=models.CASCADE, parent_link=True, related_name="mmm_delegation_page"
    )

    organisation = models.CharField(
        _("organisation"),
        max_length=255,
        help_text=_('Full name of the organisation, e.g. "Union européenne".'),
    )
    acronym = models.CharField(
        _("acronym"),
        max_length=20,
        help_text=_("Short name shown on news cards, e.g. UE, ONU, UNESCO."),
    )
    status = models.CharField(
        _("status"),
        max_length=255,
        blank=True,
        help_text=_('The kind of status MMM holds there, e.g. "statut consultatif général".'),
    )
    locations = models.CharField(
        _("locations"),
        max_length=255,
        blank=True,
        help_text=_('Where the delegation works, comma-separated, e.g. "New York, Genève, Vienne".'),
    )
    summary = models.TextField(
        _("summary"),
        help_text=_("What the delegation does, in two or three sentences: shown on the landing page."),
    )
    news_heading = models.CharField(
        _("news heading"),
        max_length=255,
        blank=True,
        help_text=_('Heading of the delegation\'s news block, e.g. "Actualité de la délégation Europe".'),
    )
    news_intro = models.TextField(
        _("news introduction"),
        blank=True,
        help_text=_("A sentence or two introducing the delegation's news on the landing page."),
    )
    latest_news_count = models.PositiveSmallIntegerField(
        _("number of latest news"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(12)],
        help_text=_(
            "How many of the latest news items the landing page shows for this delegation (0 to 12)."
        ),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["mmm_wagtail.DelegationIndexPage"]
    subpage_types = ["mmm_wagtail.NewsPage"]
    template = "mmm_wagtail/pages/delegation_page.html"

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("organisation"), FieldPanel("acronym")]),
                FieldPanel("status"),
                FieldPanel("locations"),
            ],
            heading=_("Organisation"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("news_heading"), FieldPanel("news_intro"), FieldPanel("latest_news_count")],
            heading=_("News block on the landing page"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("organisation"),
        index.SearchField("acronym"),
        index.SearchField("summary"),
    ]
    api_fields = [
        APIField("organisation"),
        APIField("acronym"),
        APIField("status"),
        APIField("locations"),
        APIField("summary"),
        APIField("news_heading"),
        APIField("news_intro"),
        APIField("latest_news_count"),
        APIField("body"),
    ]
    # Translated or synchronised as wagtail-localize derives it from each field's type (text
    # translated, latest_news_count synchronised): a new text field needs no entry here.

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    objects = DelegationPageManager()

    def get_context(self, request, *args, **kwargs):
        context = with_layout(super().get_context(request, *args, **kwargs))
        # The requesting site's news only: a news item of another site may be related to
        # this delegation, and the API leaves it out too.
        roots = site_roots(find_site(request))
        news = NewsPage.objects.of_delegations(
            self.locale, [self.translation_key], roots, limit=conf.get("DELEGATION_PAGE_NEWS")
        )
        # A list, read once: the body's feed blocks leave these items out (blocks.NewsFeedBlock).
        context["news_items"] = list(news)
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "mmm_wagtail.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("news tag")
        verbose_name_plural = _("news tags")


class NewsPage(HeadlessPreviewMixin, ExpiringPageMixin, Page):
    """A news item of a delegation, possibly listed under other delegations too."""

    # Named, so that a site's own page type of the same class name does not clash on Page's
    # reverse accessor (fields.E304/E305 on Page.newspage).
    page_ptr = models.OneToOneField(
        Page, on_delete=models.CASCADE, parent_link=True, related_name="mmm_news_page"
    )

    date = models.DateField(
        _("date"),
        default=timezone.localdate,
        help_text=_("The date of the news, shown on cards and used to order listings."),
    )
    dateline = models.CharField(
        _("dateline"),
        max_length=255,
        blank=True,
        help_text=_('Where the news comes from, e.g. "ONU, Genève".'),
    )
    excerpt = models.TextField(
        _("excerpt"),
        blank=True,
        help_text=_(
            "Plain-text teaser shown on cards and in feeds. Leave blank to use the beginning of the body."
        ),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("featured image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown on news cards, at the top of the news item and in the feeds. Its description "
            "(in Images) is its alternative text: publishing asks for one."
        ),
    )
    tags = ClusterTaggableManager(
        through=NewsPageTag,
        blank=True,
        # Not Tag.newspage_set: a site's own NewsPage with tags would clash on it.
        related_name="mmm_news_pages",
        verbose_name=_("tags"),
        help_text=_("Topics of the news, e.g. éducation, petite enfance. Feeds can filter on them."),
    )
    related_delegations = ParentalManyToManyField(
        "mmm_wagtail.DelegationPage",
        verbose_name=_("also listed under"),
        blank=True,
        related_name="related_news",
        help_text=_(
            "Other delegations this news concerns. It is always listed under its own "
            "(parent) delegation; tick others to list it there too."
        ),
    )

    parent_page_types = ["mmm_wagtail.DelegationPage"]
    subpage_types = []
    template = "mmm_wagtail/pages/news_page.html"
    base_form_class = NewsPageForm
    objects = NewsPageManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("date"), FieldPanel("dateline")])],
            heading=_("Date and place"),
        ),
        FieldPanel("excerpt"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("tags"), FieldPanel("related_delegations", widget=forms.CheckboxSelectMultiple)],
            heading=_("Topics and delegations"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("excerpt"),
        index.SearchField("body"),
        index.SearchField("dateline"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("date"),
        APIField("dateline"),
        APIField("excerpt"),
        APIField("teaser"),
        APIField("body"),
        APIField("image"),
        APIField("tags"),
        APIField("related_delegations"),
    ]
    # The other fields are translated or synchronised as wagtail-localize derives it from
    # their type (text translated; date and image synchronised).
    override_translatable_fields = [
        # Language-neutral: translations share the source's tags (names are translated by
        # TagTranslation) and its delegations, which mmm_wagtail.translating re-points at
        # the delegations of the translation's own locale on every translation and sync.
        SynchronizedField("tags", overridable=False),
        SynchronizedField("related_delegations", overridable=False),
    ]

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def get_context(self, request, *args, **kwargs):
        return with_layout(super().get_context(request, *args, **kwargs))

    @cached_property
    def teaser(self):
        """The excerpt, or the beginning of the body's text, cut to the configured length."""
        return news_teaser(self.excerpt, self.body.raw_data, conf.get("TEASER_LENGTH"))


# The package's page types, from which every other module derives their names
# (``model._meta.label``: "mmm_wagtail.NewsPage") rather than spelling them.
PAGE_TYPES = (DelegationIndexPage, DelegationPage, NewsPage)
