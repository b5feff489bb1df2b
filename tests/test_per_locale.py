"""Per locale: tag names (``mmm_wagtail.tag_names``), untranslated pages, tag translations in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from taggit.models import Tag
from wagtail.models import Page
from wagtail_localize.synctree import synchronize_tree

from mmm_wagtail.locales import site_roots
from mmm_wagtail.models import DelegationPage, NewsPage, TagTranslation
from mmm_wagtail.tag_names import news_tags, tag_ids_for_slugs, tag_labels

# Tags ---------------------------------------------------------------------------------------


@pytest.fixture
def tags(db, locale_en, locale_fr):
    education = Tag.objects.create(name="éducation", slug="education")
    early = Tag.objects.create(name="petite enfance", slug="petite-enfance")
    care = Tag.objects.create(name="soins", slug="soins")
    TagTranslation.objects.create(tag=early, locale=locale_en, name="early childhood", slug="early-childhood")
    TagTranslation.objects.create(tag=care, locale=locale_en, name="care", slug="care")
    return education, early, care


def test_tag_labels_in_the_readers_language_with_fallback(tags, locale_en, django_assert_num_queries):
    education, early, care = tags
    with django_assert_num_queries(1):
        labels = tag_labels([education.pk, early.pk, care.pk], locale_en)
    assert labels == {
        education.pk: ("education", "éducation"),  # not translated: its own slug and name
        early.pk: ("early-childhood", "early childhood"),
        care.pk: ("care", "care"),
    }
    with django_assert_num_queries(1):
        assert tag_labels([early.pk], "en") == {early.pk: ("early-childhood", "early childhood")}
    with django_assert_num_queries(1):
        assert tag_labels([early.pk], "fr") == {early.pk: ("petite-enfance", "petite enfance")}
    with django_assert_num_queries(0):
        assert tag_labels([], "en") == {}


def test_tag_ids_for_canonical_and_translated_slugs(tags, locale_en, locale_fr, django_assert_num_queries):
    education, early, care = tags
    with django_assert_num_queries(1):
        found = tag_ids_for_slugs(["early-childhood", "petite-enfance", "education", "nope"], locale_en)
    assert found == {"early-childhood": early.pk, "petite-enfance": early.pk, "education": education.pk}
    # Another locale's translated slug is not a slug of this locale.
    assert tag_ids_for_slugs(["early-childhood"], "fr") == {}
    assert tag_ids_for_slugs(["soins", "care"], locale_fr) == {"soins": care.pk}


def test_tag_translation_slug_is_made_from_the_name(tags, locale_en):
    education = tags[0]
    translation = TagTranslation(tag=education, locale=locale_en, name="  Education for all ")
    translation.full_clean()
    assert (translation.name, translation.slug) == ("Education for all", "education-for-all")


def test_tag_translation_validation(tags, locale_en):
    education, early, care = tags
    with pytest.raises(ValidationError) as error:
        TagTranslation(tag=early, locale=locale_en, name="infancy", slug="infancy").full_clean()
    assert "__all__" in error.value.message_dict  # one translation per tag and locale
    with pytest.raises(ValidationError) as error:
        TagTranslation(tag=education, locale=locale_en, name="Care", slug="care").full_clean()
    assert "__all__" in error.value.message_dict  # one tag per slug and locale
    with pytest.raises(ValidationError) as error:
        TagTranslation(tag=education, locale=locale_en, name="Soins", slug="soins").full_clean()
    assert "soins" in error.value.message_dict["slug"][0]  # another tag's own slug


def test_tag_translation_admin(admin_client, tags, locale_en):
    education, early, _care = tags
    urls = "wagtailsnippets_mmm_wagtail_tagtranslation"
    assert admin_client.get(reverse(f"{urls}:list")).status_code == 200
    assert admin_client.get(reverse(f"{urls}:add")).status_code == 200

    response = admin_client.post(
        reverse(f"{urls}:add"), {"tag": education.pk, "locale": locale_en.pk, "name": "education", "slug": ""}
    )
    assert response.status_code == 302
    created = TagTranslation.objects.get(tag=education, locale=locale_en)
    assert created.slug == "education"

    edit = reverse(f"{urls}:edit", args=(created.pk,))
    assert admin_client.get(edit).status_code == 200
    response = admin_client.post(
        edit, {"tag": education.pk, "locale": locale_en.pk, "name": "Education", "slug": "schooling"}
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.name, created.slug) == ("Education", "schooling")

    # A second English name for the same tag, and a slug taken: form errors, nothing saved.
    for data in (
        {"tag": early.pk, "locale": locale_en.pk, "name": "infancy", "slug": "infancy"},
        {"tag": education.pk, "locale": locale_en.pk, "name": "Schools", "slug": "schools"},
        {"tag": education.pk, "locale": locale_en.pk, "name": "x", "slug": "early-childhood"},
    ):
        response = admin_client.post(reverse(f"{urls}:add"), data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
    assert TagTranslation.objects.count() == 3


# Untranslated pages -------------------------------------------------------------------------


@pytest.fixture
def half_translated(demo_multilingual, locale_fr, locale_en):
    """The demo (3 of 7 news in English) with wagtail-localize aliases for everything else."""
    synchronize_tree(locale_fr, locale_en)
    aliases = NewsPage.objects.filter(locale=locale_en, alias_of__isnull=False)
    assert aliases.count() == 4  # the untranslated news items, as live alias pages
    assert all(alias.live for alias in aliases)
    return demo_multilingual


def listed(queryset):
    return sorted((page.locale.language_code, page.slug) for page in queryset.select_related("locale"))


def test_hide_lists_only_the_locales_own_pages(half_translated, locale_en, django_assert_num_queries):
    with django_assert_num_queries(1):
        pages = listed(NewsPage.objects.live().localized(locale_en, mode="hide"))
    assert pages == sorted(
        [
            ("en", "from-local-to-global"),
            ("en", "mav-turning-the-challenges-of-motherhood"),
            ("en", "mmm-teams-mobilise-for-the-right-to-education"),
        ]
    )


def test_fallback_adds_the_untranslated_french_pages_once(half_translated, locale_en):
    pages = listed(NewsPage.objects.live().localized(locale_en, mode="fallback"))
    assert len(pages) == 7
    assert [slug for code, slug in pages if code == "en"] == [
        "from-local-to-global",
        "mav-turning-the-challenges-of-motherhood",
        "mmm-teams-mobilise-for-the-right-to-education",
    ]
    french = [slug for code, slug in pages if code == "fr"]
    assert "du-local-au-mondial" not in french  # translated: only its English version
    assert "les-voix-des-meres-au-conseil-des-droits-de-lhomme" in french  # aliased: its source once
    keys = [p.translation_key for p in NewsPage.objects.live().localized("en", mode="fallback")]
    assert len(keys) == len(set(keys))


def test_fallback_is_the_setting_and_the_default_locale_gets_its_own_pages(half_translated, locale_fr):
    with override_settings(MMM_WAGTAIL={"UNTRANSLATED": "fallback"}):
        assert NewsPage.objects.live().localized("en").count() == 7
        assert listed(NewsPage.objects.live().localized(locale_fr)) == listed(
            NewsPage.objects.filter(locale=locale_fr)
        )
    assert NewsPage.objects.live().localized("en").count() == 3  # default: hide


def test_a_draft_translation_does_not_hide_its_source(half_translated, locale_en):
    english = NewsPage.objects.get(slug="from-local-to-global")
    english.unpublish()
    pages = listed(NewsPage.objects.live().localized(locale_en, mode="fallback"))
    assert ("fr", "du-local-au-mondial") in pages and ("en", "from-local-to-global") not in pages


def test_fallback_within_a_root_follows_each_locales_tree(half_translated, locale_en):
    english_un = DelegationPage.objects.get(slug="un")
    pages = listed(NewsPage.objects.live().localized(locale_en, root=english_un, mode="fallback"))
    assert pages == [
        ("en", "from-local-to-global"),
        ("en", "mmm-teams-mobilise-for-the-right-to-education"),
        ("fr", "investir-dans-leducation-et-la-protection-de-la-petite-enfance"),
        ("fr", "les-voix-des-meres-au-conseil-des-droits-de-lhomme"),
    ]
    french_un = DelegationPage.objects.get(slug="onu", alias_of__isnull=True)
    assert listed(NewsPage.objects.live().localized("en", root=french_un, mode="hide")) == pages[:2]


def test_delegations_fallback_and_aliases(half_translated, locale_en):
    # All delegations are translated; an alias delegation would stand for its source.
    french_onu = DelegationPage.objects.get(slug="onu", alias_of__isnull=True)
    english_un = DelegationPage.objects.get(slug="un")
    english_un.delete()
    alias = french_onu.create_alias(
        parent=french_onu.get_parent().get_translation(locale_en), update_locale=locale_en
    )
    assert alias.locale == locale_en
    for mode in ("hide", "fallback"):
        pages = listed(DelegationPage.objects.live().localized(locale_en, mode=mode))
        assert ("en", "onu") not in pages
        assert (("fr", "onu") in pages) == (mode == "fallback")
    assert Page.objects.filter(alias_of=french_onu).exists()


def test_site_roots_scope_each_locale_without_a_query(half_translated, locale_en, django_assert_num_queries):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    roots = site_roots(site)
    assert set(roots) == {"fr", "en"}
    with django_assert_num_queries(1):
        pages = listed(NewsPage.objects.live().localized(locale_en, root=roots, mode="fallback"))
    assert pages == listed(NewsPage.objects.live().localized(locale_en, mode="fallback"))
    # A locale the site has no root in gets nothing of its own; the fallback still applies.
    french_only = {"fr": roots["fr"]}
    assert [code for code, _slug in listed(NewsPage.objects.live().localized("en", root=french_only))] == []
    fallback = listed(NewsPage.objects.live().localized("en", root=french_only, mode="fallback"))
    assert {code for code, _slug in fallback} == {"fr"} and len(fallback) == 4


def test_every_listing_goes_through_the_setting(half_translated, locale_en):
    assert NewsPage.objects.readable("en").count() == 3
    with override_settings(MMM_WAGTAIL={"UNTRANSLATED": "fallback"}):
        assert NewsPage.objects.readable("en").count() == 7
        assert DelegationPage.objects.readable("en").count() == 3
        english_un = DelegationPage.objects.get(slug="un")
        related = NewsPage.objects.readable("en").in_delegations([english_un.translation_key])
        assert "les-voix-des-meres-au-conseil-des-droits-de-lhomme" in {page.slug for page in related}


def test_news_tags_are_named_in_the_locale_in_one_query(half_translated, django_assert_num_queries):
    item = NewsPage.objects.get(slug="from-local-to-global")
    with django_assert_num_queries(1):
        tags = news_tags([item.pk], "en")
    assert tags == {item.pk: [("care", "care"), ("human-rights", "human rights")]}
    assert news_tags([item.pk], "fr")[item.pk] == [("droits-humains", "droits humains"), ("soins", "soins")]
