"""Builds the demo page tree from ``seed.py``; existing pages are left as they are.

The French tree is created directly; the English tree is made from it through
wagtail-localize (translation sources, translated strings, translations), as an editor's
"Translate" would, so the translation editor shows the demo's English strings.
"""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from mmm_wagtail import conf
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage, TagTranslation
from mmm_wagtail.translating import translate

from . import articles, media, seed


class DemoLoader:
    def __init__(self, log=print, translations=True):
        self.log = log
        self.translations = translations
        self.created = 0
        self.kept = 0

    @transaction.atomic
    def run(self):
        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific
        locale = home.locale
        feed = self.feed(locale)
        index = self.page(home, DelegationIndexPage, seed.INDEX, news_feed=feed)
        delegations = {data["slug"]: self.page(index, DelegationPage, data) for data in seed.DELEGATIONS}
        self.media()
        news = {}
        for data in seed.NEWS:
            fields = {
                k: v for k, v in data.items() if k not in ("delegation", "related", "text", "tags", "image")
            }
            # The seed's teaser stays the teaser; the body is the whole article (articles.py).
            fields["excerpt"] = data["text"]
            fields["body"] = self.body(data, feed, delegations)
            if data.get("image"):
                fields["image"] = self.images[data["image"]]
            news[data["slug"]] = self.page(
                delegations[data["delegation"]],
                NewsPage,
                fields,
                tags=data["tags"],
                related=[delegations[slug] for slug in data.get("related", [])],
            )
        if self.translations and "en" in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
            self.english(home, feed, index, delegations, news)
        self.log(f"Demo content: {self.created} created, {self.kept} already there.")
        return index

    def media(self):
        """The demo's images, document and embed (demo/media.py), made once."""
        Image = get_image_model()
        self.images = {}
        for name, (title, description, _bg, _accent) in media.IMAGES.items():
            image = Image.objects.filter(title=title).first()
            if image is None:
                png = ImageFile(io.BytesIO(media.image_file(name)), name=f"demo-{name}.png")
                image = Image.objects.create(title=title, description=description, file=png)
                # As the admin's upload does: stored now, not on a reader's first request (a feed's
                # enclosure reads the size; Wagtail saves it then, which would stale the response cache).
                image.get_file_size()
                image.get_file_hash()
            # The renditions the API and the pages serve, made now rather than on a reader's first request.
            image.get_renditions(*conf.get("RENDITIONS").values(), "width-480", "width-1200")
            self.images[name] = image
        Document = get_document_model()
        self.document = Document.objects.filter(title=media.DOCUMENT_TITLE).first()
        if self.document is None:
            self.document = Document(title=media.DOCUMENT_TITLE)
            self.document.file.save(
                "demo-recommandations.pdf", ContentFile(media.document_file()), save=False
            )
            self.document.save()
            self.document.get_file_size()
            self.document.get_file_hash()
        # Stored as Wagtail stores a fetched embed, so no oEmbed provider is asked (offline demo).
        Embed.objects.get_or_create(
            hash=get_embed_hash(articles.EMBED),
            defaults={
                "url": articles.EMBED,
                "type": "rich",
                "html": (
                    '<iframe title="Carte : le Palais des Nations, Genève" width="800" height="450" '
                    'src="https://www.openstreetmap.org/export/embed.html?bbox=6.1330%2C46.2225%2C6.1480'
                    '%2C46.2305&amp;layer=mapnik&amp;marker=46.2266%2C6.1405" loading="lazy"></iframe>'
                ),
                "title": "Palais des Nations, Genève",
                "provider_name": "OpenStreetMap",
                "width": 800,
                "height": 450,
            },
        )

    def body(self, data, feed, delegations):
        """The StreamField of a news item: its teaser's words, finished, then the article's blocks."""
        article = articles.ARTICLES[data["slug"]]
        first = data["text"].removesuffix("…") + " " + article["first"]
        blocks = [("paragraph", f"<p>{first}</p>")]
        for kind, value in article["blocks"]:
            if kind.startswith(articles.IMAGE):
                image = self.images[kind.removeprefix(articles.IMAGE)]
                blocks.append(("image", {"image": image, "alt_text": image.description, "caption": value}))
            elif kind == articles.DOCUMENT:
                blocks.append(("document", {"document": self.document, "title": value}))
            elif kind == articles.FEED:
                blocks.append(("news_feed", {"feed": feed, "heading": value}))
            elif kind == "call_to_action":
                page = delegations[value["page"]] if value["page"] else None
                blocks.append((kind, {**value, "page": page}))
            else:
                blocks.append((kind, value))
        return blocks

    def feed(self, locale: Locale):
        feed = NewsFeed.objects.filter(locale=locale, slug=seed.FEED["slug"]).first()
        if feed:
            self.kept += 1
            return feed
        self.created += 1
        return NewsFeed.objects.create(locale=locale, **seed.FEED)

    def page(self, parent, model, data, tags=(), related=(), **extra):
        existing = model.objects.child_of(parent).filter(slug=data["slug"]).first()
        if existing:
            self.kept += 1
            return existing
        page = model(**data, **extra)
        parent.add_child(instance=page)
        if tags:
            page.tags.add(*tags)
        if related:
            page.related_delegations.set(related)
        page.save_revision().publish()
        self.created += 1
        return page

    def english(self, home, feed, index, delegations, news):
        english = Locale.objects.get_or_create(language_code="en")[0]
        # Parents before children; the feed before the landing page that shows it.
        self.translation(home, english, seed.EN_HOME)
        self.translation(feed, english, seed.EN_FEED)
        self.translation(index, english, seed.EN_INDEX)
        for slug, strings in seed.EN_DELEGATIONS.items():
            self.translation(delegations[slug], english, strings)
        for slug, strings in seed.EN_NEWS.items():
            self.translation(news[slug], english, {**strings, **self.english_body(slug, strings)})
        for name, english_name in seed.EN_TAGS.items():
            tag = Tag.objects.filter(name=name).first()
            if tag is None:
                continue
            _translation, created = TagTranslation.objects.get_or_create(
                tag=tag,
                locale=english,
                defaults={"name": english_name, "slug": slugify(english_name, allow_unicode=True)},
            )
            self.created += created
            self.kept += not created

    def english_body(self, slug, strings):
        """The English strings of a news item's body (articles.EN), its first paragraph included."""
        article = articles.EN.get(slug)
        if article is None:
            return {}
        (data,) = (item for item in seed.NEWS if item["slug"] == slug)
        french_first = data["text"].removesuffix("…") + " " + articles.ARTICLES[slug]["first"]
        english_first = strings[data["text"]].removesuffix("…") + " " + article["first"]
        return {french_first: english_first, **media.EN_DESCRIPTIONS, **article["strings"]}

    def translation(self, source, locale, strings):
        existing = type(source).objects.filter(translation_key=source.translation_key, locale=locale)
        if isinstance(source, Page):
            existing = existing.filter(alias_of__isnull=True)
        if existing.exists():
            self.kept += 1
            return existing.get()
        self.created += 1
        # fallback: a source an editor changed since the seed keeps its new words untranslated.
        return translate(source, locale, strings, fallback=True)
