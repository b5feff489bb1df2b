import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from mmm_wagtail.blocks import CallToActionBlock
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsPage
from mmm_wagtail.teasers import news_teaser


def test_page_type_rules():
    assert DelegationIndexPage.allowed_subpage_models() == [DelegationPage]
    assert DelegationPage.allowed_subpage_models() == [NewsPage]
    assert NewsPage.allowed_subpage_models() == []
    assert DelegationPage.allowed_parent_page_models() == [DelegationIndexPage]
    assert NewsPage.allowed_parent_page_models() == [DelegationPage]


def test_can_create_at(demo):
    delegation = DelegationPage.objects.get(slug="onu")
    home = demo.get_parent()
    assert DelegationIndexPage.can_create_at(home)
    assert not DelegationPage.can_create_at(home)
    assert DelegationPage.can_create_at(demo)
    assert not NewsPage.can_create_at(demo)
    assert NewsPage.can_create_at(delegation)
    assert not DelegationPage.can_create_at(delegation)


def test_latest_news_count_is_bounded(demo):
    delegation = DelegationPage.objects.get(slug="onu")
    delegation.latest_news_count = 13
    with pytest.raises(ValidationError) as error:
        delegation.full_clean()
    assert "latest_news_count" in error.value.message_dict


def test_delegation_requires_organisation_acronym_and_summary(demo):
    page = DelegationPage(title="MMM au Conseil de l'Europe", slug="coe")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert {"organisation", "acronym", "summary"} <= set(error.value.message_dict)


def test_call_to_action_needs_exactly_one_target(demo):
    block = CallToActionBlock()
    with pytest.raises(ValidationError):
        block.clean({"text": "Lire", "page": None, "url": ""})
    with pytest.raises(ValidationError):
        block.clean({"text": "Lire", "page": demo, "url": "https://example.org"})
    assert block.clean({"text": "Lire", "page": None, "url": "https://example.org"})["text"] == "Lire"


def test_teaser_prefers_the_excerpt_and_falls_back_to_the_body(demo):
    news = NewsPage.objects.get(slug="du-local-au-mondial")
    assert news.teaser.startswith("Le groupe de travail sur la discrimination")
    assert len(news.teaser) <= 200 and news.teaser.endswith("…")
    assert news_teaser("  Un   résumé\nexplicite ", news.body.raw_data, 200) == "Un résumé explicite"


def test_related_delegations_and_tags(demo):
    news = NewsPage.objects.get(slug="les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation")
    assert news.get_parent().slug == "onu"
    assert [d.slug for d in news.related_delegations.all()] == ["unesco"]
    assert sorted(t.name for t in news.tags.all()) == ["droits humains", "éducation"]
    assert news.date == datetime.date(2024, 6, 19)


def test_search_finds_news_by_title_excerpt_and_body(demo):
    by_title = NewsPage.objects.live().search("Côte d’Ivoire")
    assert "leducation-des-filles-en-cote-divoire" in [p.slug for p in by_title]
    by_body = NewsPage.objects.live().search("Mom Virtual Assistant")
    assert [p.slug for p in by_body] == ["mav-transformer-les-defis-de-la-maternite"]
    news = NewsPage.objects.get(slug="les-voix-des-meres-au-conseil-des-droits-de-lhomme")
    news.excerpt = "Plaidoyer pour la parentalité équitable"
    news.save_revision().publish()
    by_excerpt = Page.objects.live().search("parentalité équitable")
    assert [p.slug for p in by_excerpt] == [news.slug]
