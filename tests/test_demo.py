import datetime
import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageLogEntry, Revision
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from demo import seed
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage, TagTranslation


def test_demo_tree(demo):
    assert DelegationIndexPage.objects.count() == 1
    assert demo.title == "Les délégations de MMM auprès des Organisations Internationales"
    assert "statut consultatif général" in demo.intro
    delegations = DelegationPage.objects.child_of(demo).order_by("path")
    assert [d.acronym for d in delegations] == ["UE", "ONU", "UNESCO"]
    assert NewsPage.objects.descendant_of(demo).count() == 7
    assert all(p.live for p in Page.objects.descendant_of(demo, inclusive=True))


def test_demo_delegations_use_the_seed_words(demo):
    ue = DelegationPage.objects.get(acronym="UE")
    assert ue.news_heading == "Actualité de la délégation Europe"
    assert ue.news_intro.startswith("Rapports de la Commission, débats au parlement européen")
    assert ue.summary.startswith("MMM influe sur les débats")
    unesco = DelegationPage.objects.get(acronym="UNESCO")
    assert unesco.news_heading == "Actualité de l'équipe UNESCO"
    onu = DelegationPage.objects.get(acronym="ONU")
    assert onu.locations == "New York, Genève, Vienne"


def test_demo_news_titles_and_dates(demo):
    got = {(p.title, p.date) for p in NewsPage.objects.all()}
    assert got == {(item["title"], item["date"]) for item in seed.NEWS}
    assert (
        "Les équipes MMM se mobilisent pour renforcer le droit à l’éducation",
        datetime.date(2024, 6, 19),
    ) in got
    for news in NewsPage.objects.all():
        assert "Ã" not in news.body[0].value.source
        assert news.tags.exists()


def test_demo_feed_attached_to_landing_page(demo):
    feed = NewsFeed.objects.get(slug="actualite-des-delegations")
    assert demo.news_feed == feed
    assert feed.item_count == 6
    assert not feed.delegations.exists()  # none chosen: all delegations


@pytest.mark.parametrize("args", [["--no-translations"], []], ids=["french", "multilingual"])
def test_demo_loader_is_idempotent(db, args):
    call_command("load_demo_content", *args, verbosity=0)

    def counts():
        return (
            Page.objects.count(),
            Revision.objects.count(),
            PageLogEntry.objects.count(),
            NewsFeed.objects.count(),
            TagTranslation.objects.count(),
            TranslationSource.objects.count(),
            StringTranslation.objects.count(),
        )

    before = counts()
    out = io.StringIO()
    call_command("load_demo_content", *args, stdout=out)
    assert counts() == before
    assert "Demo content: 0 created" in out.getvalue()


def test_demo_loader_keeps_editor_changes(demo):
    news = NewsPage.objects.get(slug="du-local-au-mondial")
    news.title = "Titre modifié par une éditrice"
    news.save_revision().publish()
    call_command("load_demo_content", verbosity=0)
    news.refresh_from_db()
    assert news.title == "Titre modifié par une éditrice"


def test_demo_admin_user(db, django_user_model):
    call_command("load_demo_content", "--admin", verbosity=0)
    call_command("load_demo_content", "--admin", verbosity=0)
    user = django_user_model.objects.get(username="admin")
    assert user.is_superuser and user.check_password("admin")


def test_demo_english_tree_is_made_by_wagtail_localize(demo_multilingual, locale_en):
    fr_index = demo_multilingual
    en_index = fr_index.get_translation(locale_en)
    assert en_index.title == "MMM's delegations to international organisations"
    assert "general consultative status" in en_index.intro
    assert en_index.news_feed.locale == locale_en
    assert en_index.news_feed.title == "News from MMM's delegations"
    assert en_index.news_feed.translation_key == fr_index.news_feed.translation_key
    delegations = DelegationPage.objects.child_of(en_index).order_by("path")
    assert [d.acronym for d in delegations] == ["EU", "UN", "UNESCO"]
    assert [d.slug for d in delegations] == ["european-union", "un", "unesco"]
    en_news = NewsPage.objects.filter(locale=locale_en)
    assert en_news.count() == 3
    assert NewsPage.objects.filter(locale__language_code="fr").count() == 7
    for page in Page.objects.descendant_of(en_index, inclusive=True):
        assert page.live and page.alias_of_id is None
        assert TranslationSource.objects.filter(object_id=page.translation_key, locale__language_code="fr")
    # Every string of the translated French pages has its English translation: nothing fell back.
    for source in TranslationSource.objects.all():
        untranslated = [
            segment.string.data
            for segment in StringSegment.objects.filter(source=source).annotate_translation(locale_en)
            if segment.translation is None
        ]
        assert untranslated == [], source.object_repr


def test_demo_english_news_keep_date_tags_and_point_at_english_delegations(demo_multilingual, locale_en):
    fr = NewsPage.objects.get(slug="les-equipes-mmm-se-mobilisent-pour-le-droit-a-leducation")
    en = fr.get_translation(locale_en)
    assert en.title == "MMM teams mobilise to strengthen the right to education"
    assert en.body[0].value.source.startswith("<p>A resolution to strengthen the right to education")
    assert en.date == fr.date == datetime.date(2024, 6, 19)
    assert en.get_parent().specific.acronym == "UN"
    assert [(d.acronym, d.locale_id) for d in en.related_delegations.all()] == [("UNESCO", locale_en.pk)]
    assert set(en.tags.values_list("pk", flat=True)) == set(fr.tags.values_list("pk", flat=True))
    names = dict(TagTranslation.objects.filter(locale=locale_en).values_list("tag__name", "name"))
    assert names["droits humains"] == "human rights"
    assert names["petite enfance"] == "early childhood"
    assert TagTranslation.objects.get(locale=locale_en, tag__name="petite enfance").slug == "early-childhood"


def test_demo_site_option_points_absolute_links_at_the_demo_server(db, client):
    from django.core.management.base import CommandError
    from wagtail.models import Site

    call_command("load_demo_content", "--no-translations", "--site", "127.0.0.1:8000", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    card = client.get("/api/mmm/news/?limit=1", HTTP_HOST="127.0.0.1:8000").json()["items"][0]
    assert card["meta"]["html_url"].startswith("http://127.0.0.1:8000/fr/delegations/")
    with pytest.raises(CommandError):
        call_command("load_demo_content", "--site", "nohost", verbosity=0)


def test_the_root_redirects_to_the_landing_page_in_the_readers_language(client, demo_multilingual):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/fr/delegations/")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/en/delegations/"


def test_every_block_type_is_in_the_demo(demo):
    from mmm_wagtail.blocks import BodyBlock

    used = {block.block_type for news in NewsPage.objects.all() for block in news.body}
    assert used == set(BodyBlock.base_blocks)
