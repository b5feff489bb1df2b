import datetime

from django.core.management import call_command
from wagtail.models import Page, PageLogEntry, Revision

from demo import seed
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage


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


def test_demo_loader_is_idempotent(demo):
    counts = (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        NewsFeed.objects.count(),
    )
    call_command("load_demo_content", verbosity=0)
    assert (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        NewsFeed.objects.count(),
    ) == counts


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
