"""Translation through wagtail-localize's own machinery: what translates, what synchronises.

Translations here are made as the admin makes them: a TranslationSource extracted from the
French page, translated strings in the translation memory, create_or_update_translation,
and the publish wagtail-localize schedules for when the transaction commits.
"""

import datetime

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField, get_translatable_fields
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.synctree import synchronize_tree

from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage

ITEM = "les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation"  # ONU, also listed under UNESCO


def english(text):
    return f"[en] {text}"


@pytest.fixture
def make_translation(locale_en, django_capture_on_commit_callbacks):
    """Translate (or sync) an object into English the way the admin does, strings prefixed "[en] "."""

    def make(obj, strings=None):
        obj = obj.specific if isinstance(obj, Page) else obj
        source, _created = TranslationSource.update_or_create_from_instance(obj)
        for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
            StringTranslation.objects.get_or_create(
                translation_of=segment.string,
                locale=locale_en,
                context=segment.context,
                defaults={"data": (strings or {}).get(segment.string.data, english(segment.string.data))},
            )
        with django_capture_on_commit_callbacks(execute=True):
            translation, _created = source.create_or_update_translation(locale_en, copy_parent_pages=True)
        return type(obj).objects.get(pk=translation.pk)

    return make


@pytest.fixture
def sync(locale_en, django_capture_on_commit_callbacks):
    """What "Sync translated pages" does: refresh the source from the page, update the translation."""

    def run(obj):
        source = TranslationSource.objects.get_for_instance(obj)
        source.update_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            translation, _created = source.create_or_update_translation(locale_en, fallback=True)
        return type(obj).objects.get(pk=translation.pk)

    return run


@pytest.fixture
def english_delegations(demo, make_translation):
    """The landing page and the three delegations in English, keyed by French slug."""
    make_translation(demo.get_parent())
    make_translation(demo.news_feed)
    make_translation(demo)
    return {d.slug: make_translation(d) for d in DelegationPage.objects.child_of(demo)}


def declared(model):
    fields = get_translatable_fields(model)
    translated = {f.field_name for f in fields if isinstance(f, TranslatableField)}
    synchronised = {f.field_name for f in fields if isinstance(f, SynchronizedField)}
    return translated, synchronised


def test_declared_translation_behaviour():
    translated, synchronised = declared(NewsPage)
    assert {"title", "slug", "dateline", "excerpt", "body"} <= translated
    assert {"date", "image", "tags", "related_delegations"} <= synchronised
    translated, synchronised = declared(DelegationPage)
    assert {"organisation", "acronym", "status", "locations", "summary", "news_heading", "news_intro"} <= (
        translated
    )
    assert {"body"} <= translated and {"latest_news_count"} <= synchronised
    translated, synchronised = declared(DelegationIndexPage)
    assert {"intro", "body", "news_feed"} <= translated
    translated, synchronised = declared(NewsFeed)
    assert translated == {"title", "intro"}
    assert synchronised == {"slug", "item_count", "teaser_length", "delegations", "tags"}


def test_english_news_item_has_the_french_date_image_tags_and_english_delegations(
    demo, english_delegations, make_translation, locale_en
):
    french = NewsPage.objects.get(slug=ITEM)
    french.image = Image.objects.create(title="Conseil", file=get_test_image_file())
    french.save_revision().publish()

    page = make_translation(french, {french.title: "MMM teams mobilise for the right to education"})

    assert page.locale == locale_en and page.translation_key == french.translation_key
    assert page.live and page.live_revision_id
    assert page.title == "MMM teams mobilise for the right to education"
    assert page.body[0].value.source.startswith("<p>[en] Une résolution")
    assert page.dateline == "[en] ONU Genève"
    assert french.image_id is not None
    assert (page.date, page.image_id) == (datetime.date(2024, 6, 19), french.image_id)
    assert page.get_parent().specific == english_delegations["onu"]
    assert set(page.tags.values_list("pk", flat=True)) == set(french.tags.values_list("pk", flat=True))
    english_unesco = english_delegations["unesco"]
    assert list(page.related_delegations.all()) == [english_unesco]
    # The published revision says the same, so publishing it again keeps the English delegation.
    assert page.live_revision.content["related_delegations"] == [english_unesco.pk]
    page.live_revision.publish()
    assert list(NewsPage.objects.get(pk=page.pk).related_delegations.all()) == [english_unesco]
    # The French page is untouched.
    assert list(NewsPage.objects.get(pk=french.pk).related_delegations.all()) == [
        DelegationPage.objects.get(slug="unesco", locale__language_code="fr")
    ]


def test_relation_to_an_untranslated_delegation_keeps_the_source_until_synced(
    demo, make_translation, sync, locale_en
):
    make_translation(demo.get_parent())
    make_translation(demo.news_feed)
    make_translation(demo)
    onu = make_translation(DelegationPage.objects.get(slug="onu"))
    french = NewsPage.objects.get(slug=ITEM)
    french_unesco = DelegationPage.objects.get(slug="unesco")

    page = make_translation(french)
    assert list(page.related_delegations.all()) == [french_unesco]  # no English UNESCO yet
    assert page.get_parent().specific == onu

    english_unesco = make_translation(french_unesco)
    page = sync(french)
    assert list(page.related_delegations.all()) == [english_unesco]


def test_sync_brings_the_new_date_and_relations_to_the_english_page(
    demo, english_delegations, make_translation, sync
):
    french = NewsPage.objects.get(slug=ITEM)
    page = make_translation(french)
    french.date = datetime.date(2024, 7, 1)
    french.related_delegations.set([DelegationPage.objects.get(slug="union-europeenne")])
    french.tags.add("droits de l'enfant")
    french.save_revision().publish()

    page = sync(french)
    assert page.date == datetime.date(2024, 7, 1)
    assert list(page.related_delegations.all()) == [english_delegations["union-europeenne"]]
    assert "droits de l'enfant" in page.tags.names()
    assert page.live_revision.content["date"] == "2024-07-01"

    # Emptied on the source, emptied on the translation (wagtail-localize alone keeps the old ones).
    french.related_delegations.set([])
    french.save_revision().publish()
    page = sync(french)
    assert not page.related_delegations.exists()
    assert page.live_revision.content["related_delegations"] == []


def test_an_english_edit_does_not_touch_the_french_page(demo, english_delegations, make_translation):
    french = NewsPage.objects.get(slug=ITEM)
    page = make_translation(french)
    french_revisions = french.revisions.count()

    # Through the translation editor: a new English string for the title, then publish.
    source = TranslationSource.objects.get_for_instance(french)
    title = StringSegment.objects.get(source=source, context__path="title")
    StringTranslation.objects.filter(translation_of=title.string, locale=page.locale).update(
        data="Right to education: MMM at the Human Rights Council"
    )
    source.create_or_update_translation(page.locale)
    # And directly, as after "convert to manual translation".
    page = NewsPage.objects.get(pk=page.pk)
    page.dateline = "Geneva"
    page.save_revision().publish()

    page.refresh_from_db()
    assert page.title == "Right to education: MMM at the Human Rights Council"
    french.refresh_from_db()
    assert french.title == "Les équipes MMM se mobilisent pour renforcer le droit à l’éducation"
    assert french.dateline == "ONU Genève"
    assert french.revisions.count() == french_revisions


def test_feed_translation_points_at_english_delegations_and_keeps_tags(
    demo, english_delegations, make_translation, sync, locale_en
):
    feed = demo.news_feed
    feed.delegations.set([DelegationPage.objects.get(slug="onu"), DelegationPage.objects.get(slug="unesco")])
    feed.tags.set(NewsPage.objects.get(slug=ITEM).tags.all())
    feed.save()

    english_feed = sync(feed)  # the feed was translated with the landing page: this is a sync
    assert english_feed.locale == locale_en
    assert english_feed.title == "[en] L'actualité des délégations de MMM"
    assert english_feed.slug == feed.slug
    assert set(english_feed.delegations.all()) == {english_delegations["onu"], english_delegations["unesco"]}
    assert set(english_feed.tags.all()) == set(feed.tags.all())
    assert DelegationIndexPage.objects.get(pk=english_delegations["onu"].get_parent().pk).news_feed == (
        english_feed
    )

    feed.tags.set([])
    feed.item_count = 3
    feed.save()
    english_feed = sync(feed)
    assert not english_feed.tags.exists()
    assert english_feed.item_count == 3


def test_synchronised_tree_aliases_become_translations(demo, make_translation, locale_en, locale_fr):
    synchronize_tree(locale_fr, locale_en)
    french = NewsPage.objects.get(slug=ITEM, locale=locale_fr)
    alias = NewsPage.objects.get(translation_key=french.translation_key, locale=locale_en)
    assert alias.alias_of_id == french.pk
    # An alias copies the source's relations as they are: the French UNESCO.
    assert [d.locale for d in alias.related_delegations.all()] == [locale_fr]

    unesco = make_translation(DelegationPage.objects.get(slug="unesco", locale=locale_fr))
    assert unesco.alias_of_id is None and unesco.locale == locale_en

    page = make_translation(french)
    assert page.pk == alias.pk and page.alias_of_id is None and page.live
    assert list(page.related_delegations.all()) == [unesco]
