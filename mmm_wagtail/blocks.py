"""StreamField blocks for the bodies of every page type of the package.

One module, one ``BodyBlock``: the API serialiser (``api/streamfield.py``) has a typed
schema for each block declared here, so a new block needs both.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
        help_text=_("Use heading 2 for sections, 3 and 4 for sub-sections."),
        # Layout, not content: indexed, its label ("Heading 2", in whatever language was
        # active) made every page with a heading match "heading" and its vectors depend on
        # the language of the request that saved it.
        search_index=False,
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "mmm_wagtail/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=255,
        required=False,
        help_text=_(
            "Describe the image for people who cannot see it. Leave blank if it is purely decorative."
        ),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=255, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "mmm_wagtail/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        label=_("Attribution"),
        max_length=255,
        required=False,
        help_text=_('Who said it, e.g. "Anne-Claire de Liedekerke, MMM president".'),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "mmm_wagtail/blocks/quote.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        max_length=255,
        required=False,
        help_text=_("Shown instead of the document's own title when filled in."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "mmm_wagtail/blocks/document.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Button text"), max_length=100)
    page = blocks.PageChooserBlock(label=_("Page"), required=False, help_text=_("A page of this site…"))
    url = blocks.URLBlock(
        label=_("External URL"), required=False, help_text=_("…or an address on another site.")
    )

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "mmm_wagtail/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": ValidationError(_("Choose a page or enter an external URL (one of the two)."))
                }
            )
        return value


class NewsFeedBlock(blocks.StructBlock):
    feed = SnippetChooserBlock("mmm_wagtail.NewsFeed", label=_("News feed"))
    heading = blocks.CharBlock(
        label=_("Heading"),
        max_length=255,
        required=False,
        help_text=_("Leave blank to use the feed's own title."),
    )

    class Meta:
        icon = "list-ul"
        label = _("News feed")
        template = "mmm_wagtail/blocks/news_feed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # A feed deleted after the block was saved (Wagtail warns but allows it) or not
        # chosen yet in a preview: the block renders nothing rather than failing the page.
        feed = value.get("feed")
        # Scoped to the site rendering the page: the snippet is shared by every site.
        items = list(feed.news_for_context(parent_context)) if feed else []
        # A page that already lists news (a delegation's own list) passes them as
        # ``news_items``: a feed that would only repeat them, one list above the other, is
        # left out. A feed that adds other news is shown whole, as the editor built it.
        shown = {item.pk for item in (parent_context or {}).get("news_items") or ()}
        repeats_the_page = bool(items) and all(item.pk in shown for item in items)
        context.update(feed=feed, feed_items=items, render_feed=feed is not None and not repeats_the_page)
        return context


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
        template="mmm_wagtail/blocks/paragraph.html",
    )
    heading = HeadingBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        label=_("Embed"),
        icon="media",
        help_text=_("A YouTube, Vimeo or other oEmbed address."),
        template="mmm_wagtail/blocks/embed.html",
    )
    document = DocumentBlock()
    call_to_action = CallToActionBlock()
    news_feed = NewsFeedBlock()
