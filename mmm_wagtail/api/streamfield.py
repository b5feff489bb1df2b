"""StreamField bodies as typed JSON, resolved in bulk.

Each block of ``mmm_wagtail.blocks.BodyBlock`` has a schema in ``api.schemas.blocks``; ``Body``
is their discriminated union on ``type``, so the OpenAPI document describes every block.

``BodyResolver`` works on raw StreamField data, never on block values (which load their
images, documents and pages block type by block type): it first collects every page,
document, image, embed and feed referenced by any number of bodies and rich texts, loads
each kind with one query, then renders. Internal links point to the requested locale's
translation of the page when there is a current one, else to the page if it is current;
a link to a draft, private or expired page loses its ``href``.
"""

import html

from django.db.models import Q
from wagtail.documents import get_document_model

from .. import conf, richtext
from ..basepage import Page
from ..models import NewsFeed
from ..queries import current
from ..syndication.links import syndication_links
from ..teasers import news_teaser
from . import portable_text
from .cards import build_cards, card_rows
from .images import images_by_id
from .params import PORTABLE_TEXT

# -- resolution ----------------------------------------------------------------------------


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BodyResolver:
    def __init__(self, ctx):
        self.ctx = ctx
        self.page_ids, self.document_ids, self.image_ids, self.feed_ids = set(), set(), set(), set()
        self.embed_urls = set()

    # phase 1: collect ----------------------------------------------------------------------

    def collect_rich_text(self, source):
        wanted = {("a", "page"): self.page_ids, ("a", "document"): self.document_ids}
        wanted[("embed", "image")] = self.image_ids
        for kind, attrs in richtext.tags(source):
            if kind in wanted:
                wanted[kind].add(richtext.id_of(attrs))
            elif kind == ("embed", "media") and self.ctx.rich_text_format == PORTABLE_TEXT:
                # Only the Portable Text format shows them (a typed ``embed`` node).
                self.embed_urls.add(attrs.get("url"))

    def collect(self, raw_blocks):
        for block in raw_blocks:
            kind, value = block.get("type"), block.get("value")
            if kind == "paragraph":
                self.collect_rich_text(value)
            elif kind == "image" and isinstance(value, dict):
                self.image_ids.add(_int(value.get("image")))
            elif kind == "document" and isinstance(value, dict):
                self.document_ids.add(_int(value.get("document")))
            elif kind == "call_to_action" and isinstance(value, dict):
                self.page_ids.add(_int(value.get("page")))
            elif kind == "news_feed" and isinstance(value, dict):
                self.feed_ids.add(_int(value.get("feed")))
            elif kind == "embed" and value:
                self.embed_urls.add(value)

    # phase 2: load -------------------------------------------------------------------------

    def load(self):
        ctx = self.ctx
        page_ids = {pk for pk in self.page_ids if pk}
        ctx.links_pages(page_ids)  # the response's cache tags, whatever its format shows
        self.pages = self._load_pages(page_ids)
        ids = {pk for pk in self.document_ids if pk}
        self.documents = get_document_model().objects.in_bulk(ids) if ids else {}
        self.images = images_by_id({pk for pk in self.image_ids if pk}, ctx)
        self.embeds = self._load_embeds()
        self.feeds = load_feeds({pk for pk in self.feed_ids if pk}, ctx)
        return self

    def _load_pages(self, ids):
        if not ids:
            return {}
        ctx = self.ctx
        keys = Page.objects.filter(pk__in=ids).values("translation_key")
        rows = current(
            Page.objects.filter(
                Q(pk__in=ids) | Q(translation_key__in=keys, locale__language_code=ctx.language)
            )
        )
        rows = list(
            rows.values(
                "pk", "title", "url_path", "content_type_id", "translation_key", "locale__language_code"
            )
        )
        wanted = {}  # translation_key -> page of the requested locale
        for row in rows:
            if row["locale__language_code"] == ctx.language:
                wanted[row["translation_key"]] = row
        source_keys = dict(Page.objects.filter(pk__in=ids).values_list("pk", "translation_key"))
        by_pk = {row["pk"]: row for row in rows}
        result = {}
        for pk in ids:
            row = wanted.get(source_keys.get(pk)) or by_pk.get(pk)
            if row:
                language = row["locale__language_code"]
                result[pk] = {
                    "id": row["pk"],
                    "title": row["title"],
                    "url": ctx.html_url(row),
                    "locale": language,
                }
        return result

    def _load_embeds(self):
        urls = {url for url in self.embed_urls if url}
        if not urls:
            return {}
        from wagtail.embeds.models import Embed

        found = {}
        # Only what Wagtail has fetched already: an API request never calls an oEmbed provider.
        for embed in Embed.objects.filter(url__in=urls).order_by("max_width"):
            found.setdefault(embed.url, embed)
        return found

    # phase 3: render -----------------------------------------------------------------------

    def rich_text(self, source):
        """Stored rich text in the request's ``rich_text_format``: HTML (a string) or Portable
        Text (a list of nodes, ``api.portable_text``); both from the links and images below."""
        if self.ctx.rich_text_format == PORTABLE_TEXT:
            return portable_text.convert(source, link=self._link_mark, embed=self._embed_node)

        def link(linktype, attrs):
            url = self._link_url(linktype, attrs)
            return f'<a href="{html.escape(url)}">' if url else "<a>"

        def embed(embedtype, attrs):
            image = self._embedded_image(embedtype, attrs)
            if not image:
                return ""
            alt = attrs.get("alt", image["alt"])
            return (
                f'<img src="{html.escape(image["url"])}" srcset="{html.escape(image["srcset"])}" '
                f'width="{image["width"]}" height="{image["height"]}" alt="{html.escape(alt)}">'
            )

        return richtext.rewrite(source, link=link, embed=embed)

    # What a rich text's link or embed points to, the same rule for both formats: a page the
    # reader may see (its translation in the requested locale), a document, an image.

    def _linked_page(self, linktype, attrs):
        return self.pages.get(richtext.id_of(attrs)) if linktype == "page" else None

    def _linked_document(self, linktype, attrs):
        return self.documents.get(richtext.id_of(attrs)) if linktype == "document" else None

    def _link_url(self, linktype, attrs):
        page = self._linked_page(linktype, attrs)
        if page:
            return page["url"]
        document = self._linked_document(linktype, attrs)
        return self.ctx.absolute(document.url) if document else None

    def _embedded_image(self, embedtype, attrs):
        return self.images.get(richtext.id_of(attrs)) if embedtype == "image" else None

    def _link_mark(self, linktype, attrs):
        url = self._link_url(linktype, attrs)
        if not url:
            return None  # the text stays, without a link (the HTML format's bare <a>)
        page = self._linked_page(linktype, attrs)
        if page:
            return {"_type": "pageLink", "href": url, "page": page}
        document = self._document_link(self._linked_document(linktype, attrs))
        return {"_type": "documentLink", "href": url, "document": document}

    def _embed_node(self, embedtype, attrs):
        image = self._embedded_image(embedtype, attrs)
        if image:
            return {
                "_type": "image",
                "image": image,
                "alt": attrs.get("alt", image["alt"]),
                "format": attrs.get("format", ""),
            }
        if embedtype == "media" and attrs.get("url"):
            return {"_type": "embed", **self._embed_value(attrs["url"])}
        return None

    def _document_link(self, document):
        return {
            "id": document.pk,
            "title": document.title,
            "url": self.ctx.absolute(document.url),
            "file_extension": document.file_extension,
        }

    def _embed_value(self, url):
        embed = self.embeds.get(url)
        return {
            "url": url,
            "html": embed.html if embed else None,
            "title": embed.title if embed else "",
            "provider_name": embed.provider_name if embed else "",
            "thumbnail_url": embed.thumbnail_url if embed else "",
            "width": embed.width if embed else None,
            "height": embed.height if embed else None,
        }

    def render(self, raw_blocks):
        return [block for block in (self._render_block(raw) for raw in raw_blocks) if block is not None]

    def _render_block(self, raw):
        kind, value, block_id = raw.get("type"), raw.get("value"), raw.get("id")
        value = value if value is not None else {}
        if kind == "paragraph":
            rendered = self.rich_text(value if isinstance(value, str) else "")
        elif kind == "heading":
            rendered = {"text": value.get("text", ""), "level": value.get("level") or "h2"}
        elif kind == "image":
            image = self.images.get(_int(value.get("image")))
            alt = value.get("alt_text") or (image["alt"] if image else "")
            rendered = {"image": image, "alt": alt, "caption": value.get("caption") or ""}
        elif kind == "quote":
            rendered = {"quote": value.get("quote", ""), "attribution": value.get("attribution") or ""}
        elif kind == "embed":
            rendered = self._embed_value(value if isinstance(value, str) else "")
        elif kind == "document":
            document = self.documents.get(_int(value.get("document")))
            link = self._document_link(document) if document else None
            rendered = {"document": link, "title": value.get("title") or (document.title if document else "")}
        elif kind == "call_to_action":
            page = self.pages.get(_int(value.get("page")))
            rendered = {
                "text": value.get("text", ""),
                "page": page,
                "url": (page and page["url"]) or value.get("url") or None,
            }
        elif kind == "news_feed":
            feed = self.feeds.get(_int(value.get("feed")))
            rendered = {"heading": value.get("heading") or (feed["title"] if feed else ""), "feed": feed}
        else:
            return None  # a block type removed from the code since the page was saved
        return {"type": kind, "id": block_id, "value": rendered}


def resolve_bodies(ctx, bodies, rich_texts=()):
    """Render several raw bodies (lists of raw blocks) and rich texts with one load."""
    resolver = BodyResolver(ctx)
    for body in bodies:
        resolver.collect(body)
    for source in rich_texts:
        resolver.collect_rich_text(source)
    resolver.load()
    return [resolver.render(body) for body in bodies], [resolver.rich_text(source) for source in rich_texts]


# -- feeds ---------------------------------------------------------------------------------

FEED_TYPE = "mmm_wagtail.NewsFeed"


def load_feeds(ids, ctx, feeds=None):
    """{feed id: feed dict with its items as cards}.

    One query per distinct feed for its items (each feed has its own filters), then one
    card build for all of them.
    """
    if feeds is None:
        if not ids:
            return {}
        feeds = list(NewsFeed.objects.filter(pk__in=ids).prefetch_related("delegations", "tags"))
    rows_of = {feed.pk: card_rows(feed.news(ctx.roots, locale=ctx.language)) for feed in feeds}
    unique = {row["pk"]: row for rows in rows_of.values() for row in rows}
    cards = {card["id"]: card for card in build_cards(list(unique.values()), ctx)}
    default_length = conf.get("TEASER_LENGTH")
    result = {}
    for feed in feeds:
        items = []
        for row in rows_of[feed.pk]:
            card = cards[row["pk"]]
            if feed.teaser_length != default_length:
                card = {
                    **card,
                    "excerpt": news_teaser(row["excerpt"], row["body"].raw_data, feed.teaser_length),
                }
            items.append(card)
        result[feed.pk] = feed_dict(feed, ctx, items)
    return result


def feed_dict(feed, ctx, items):
    return {
        "id": feed.pk,
        "slug": feed.slug,
        "title": feed.title,
        "intro": feed.intro,
        "meta": {
            "type": FEED_TYPE,
            "locale": ctx.language,
            "slug": feed.slug,
            "detail_url": ctx.api_base + f"feeds/{feed.slug}/?locale={ctx.language}",
            "feeds": syndication_links(ctx.request, "feed", slug=feed.slug, locale=ctx.language),
        },
        "items": items,
    }
