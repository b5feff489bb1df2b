"""NewsFeed.news(_site()): which news a NewsFeed lists, in which order, at what cost."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Site

from mmm_wagtail.basepage import Page
from mmm_wagtail.locales import site_roots
from mmm_wagtail.models import DelegationPage
from tests import db_snapshot

from .feed_helpers import delegation, feed, landing, make_private, news, titles, translate


def _site():
    """The default site's roots: a feed lists the news of the site it is shown on."""
    return site_roots(Site.objects.get(is_default_site=True))


def test_a_feed_lists_the_news_of_a_site_never_of_all(tree, locale_fr):
    with pytest.raises(TypeError):
        feed(locale_fr).news(None)


def _build_tree():
    index = landing(Site.objects.get(is_default_site=True).root_page)
    ue, onu = delegation(index, "UE"), delegation(index, "ONU")
    items = {
        "ue-1": news(ue, "UE un", "2024-12-14", tags=["travail"]),
        "ue-2": news(ue, "UE deux", "2024-12-05", tags=["familles"]),
        "onu-1": news(onu, "ONU un", "2024-12-16", tags=["soins"]),
        "onu-2": news(onu, "ONU deux", "2024-12-02", tags=["éducation", "paix"]),
        "onu-ue": news(onu, "ONU et UE", "2024-11-15", tags=["éducation"], related=[ue]),
    }
    return {name: page.pk for name, page in {"index": index, "ue": ue, "onu": onu, **items}.items()}


@pytest.fixture(scope="session")
def _tree_rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(_build_tree)  # once per worker (tests/db_snapshot.py)


def _pages(pks):
    return {name: Page.objects.get(pk=pk).specific for name, pk in pks.items()}


@pytest.fixture
def tree(home, _tree_rows):
    """Two delegations (UE, ONU) with news on distinct dates; one ONU item is related to UE."""
    _tree_rows.restore()
    home.refresh_from_db()
    return _pages(_tree_rows.value)


def test_no_delegation_chosen_lists_all_delegations_newest_first(tree, locale_fr):
    got = feed(locale_fr, item_count=10).news(_site())
    assert titles(got) == ["ONU un", "UE un", "UE deux", "ONU deux", "ONU et UE"]


def test_delegation_filter_matches_parent_and_related(tree, locale_fr):
    got = feed(locale_fr, delegations=[tree["ue"]], item_count=10).news(_site())
    assert titles(got) == ["UE un", "UE deux", "ONU et UE"]
    got = feed(locale_fr, slug="onu", delegations=[tree["onu"]], item_count=10).news(_site())
    assert titles(got) == ["ONU un", "ONU deux", "ONU et UE"]


def test_tag_filter_is_any_of(tree, locale_fr):
    got = feed(locale_fr, tags=["travail", "paix"], item_count=10).news(_site())
    assert titles(got) == ["UE un", "ONU deux"]
    got = feed(locale_fr, slug="edu", tags=["éducation"], item_count=10).news(_site())
    assert titles(got) == ["ONU deux", "ONU et UE"]


def test_delegation_and_tag_filters_combine(tree, locale_fr):
    got = feed(locale_fr, delegations=[tree["ue"]], tags=["éducation"], item_count=10).news(_site())
    assert titles(got) == ["ONU et UE"]


def test_an_item_under_two_delegations_appears_once(tree, locale_fr):
    # "ONU et UE" is the ONU's own and related to UE; it also has two matching tags.
    both = feed(locale_fr, delegations=[tree["ue"], tree["onu"]], tags=["éducation", "paix"], item_count=10)
    got = titles(both.news(_site()))
    assert got == ["ONU deux", "ONU et UE"]
    everything = titles(feed(locale_fr, slug="b", delegations=[tree["ue"], tree["onu"]]).news(_site()))
    assert len(everything) == len(set(everything)) == 5


def test_count_is_cut_after_de_duplication(tree, locale_fr):
    got = feed(locale_fr, delegations=[tree["ue"], tree["onu"]], item_count=3).news(_site())
    assert titles(got) == ["ONU un", "UE un", "UE deux"]


def test_equal_dates_have_a_stable_tie_break(tree, locale_fr):
    same_day = [news(tree["ue"], f"Même jour {i}", "2025-01-10") for i in range(4)]
    expected = [p.title for p in sorted(same_day, key=lambda p: -p.pk)]
    one = feed(locale_fr, item_count=4)
    assert titles(one.news(_site())) == expected
    assert titles(one.news(_site())) == expected
    # The cut never swaps items: the first two of four are the first two of the full list.
    one.item_count = 2
    assert titles(one.news(_site())) == expected[:2]


def test_french_feed_never_lists_english_items(tree, locale_fr, locale_en):
    english = translate(tree["onu-1"], locale_en)
    got = feed(locale_fr, item_count=20).news(_site())
    assert english.pk not in [p.pk for p in got]
    assert all(p.locale_id == locale_fr.pk for p in got)


def test_english_feed_matches_translations_of_french_delegations(tree, locale_fr, locale_en):
    # As wagtail-localize leaves them: the English feed and the English news keep pointing
    # at the French delegation pages (ParentalManyToManyField is not translated).
    en_onu_1 = translate(tree["onu-1"], locale_en)
    en_onu_ue = translate(tree["onu-ue"], locale_en)
    en_ue_1 = translate(tree["ue-1"], locale_en)
    assert list(en_onu_ue.related_delegations.all()) == [tree["ue"]]
    english_feed = feed(locale_en, delegations=[tree["ue"]], item_count=10)
    assert [p.pk for p in english_feed.news(_site())] == [en_ue_1.pk, en_onu_ue.pk]
    all_english = [p.pk for p in feed(locale_en, slug="all", item_count=10).news(_site())]
    assert all_english == [en_onu_1.pk, en_ue_1.pk, en_onu_ue.pk]


def _save(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save()


@pytest.mark.parametrize(
    "hide",
    [
        pytest.param(lambda p, t: p.unpublish(), id="unpublished"),
        pytest.param(lambda p, t: make_private(p), id="private-item"),
        pytest.param(lambda p, t: make_private(t["onu"]), id="private-delegation"),
        # Saved, as Wagtail saves them: a bulk update() skips the signals that keep the listing.
        pytest.param(
            lambda p, t: _save(p, expire_at=timezone.now() - datetime.timedelta(minutes=1)), id="expired"
        ),
        pytest.param(
            lambda p, t: _save(p, go_live_at=timezone.now() + datetime.timedelta(days=1)), id="scheduled"
        ),
    ],
)
def test_hidden_items_never_appear(tree, locale_fr, hide):
    target = tree["onu-1"]
    one = feed(locale_fr, item_count=10)
    assert target.pk in [p.pk for p in one.news(_site())]
    hide(target, tree)
    assert target.pk not in [p.pk for p in one.news(_site())]


def test_drafts_never_appear(tree, locale_fr):
    draft = news(tree["ue"], "Brouillon", "2025-06-01", publish=False)
    assert not draft.live
    # A published item's newer draft revision is not shown either: the live title is.
    live = tree["ue-1"]
    live.title = "Titre du brouillon"
    live.save_revision()
    got = titles(feed(locale_fr, item_count=10).news(_site()))
    assert "Brouillon" not in got
    assert "Titre du brouillon" not in got and "UE un" in got


def test_alias_pages_never_appear(tree, locale_fr):
    alias = tree["ue-1"].create_alias(parent=tree["onu"], update_slug="alias-ue-un")
    got = feed(locale_fr, item_count=10).news(_site())
    assert alias.pk not in [p.pk for p in got]
    assert titles(got).count("UE un") == 1


@pytest.fixture(scope="session")
def _lot_rows(_tree_rows, django_db_blocker):
    def build():
        ue = DelegationPage.objects.get(pk=_tree_rows.value["ue"])
        for i in range(25):
            news(ue, f"Lot {i}", datetime.date(2023, 1, 1) + datetime.timedelta(days=i), tags=["familles"])

    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(build, base=_tree_rows)


@pytest.fixture
def lot(tree, _lot_rows):
    """Twenty-five more news of the UE, tagged "familles"."""
    _lot_rows.restore()
    for page in tree.values():
        page.refresh_from_db()


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("filters", ["none", "delegations-and-tags"])
def test_query_count_does_not_depend_on_item_count(
    tree, lot, locale_fr, django_assert_num_queries, count, filters
):
    kwargs = {"delegations": [tree["ue"], tree["onu"]], "tags": ["familles"]} if filters != "none" else {}
    one = feed(locale_fr, item_count=count, **kwargs)
    one = type(one).objects.select_related("locale").get(pk=one.pk)
    # The feed's delegations, its tags, the news (view restrictions and the chosen
    # delegations' local paths are subqueries of it), with or without filters.
    roots = _site()
    with django_assert_num_queries(3):
        got = list(one.news(roots))
    assert len(got) == count
