"""Issue 3's "Done when" against the demo content, and every payload against its schema."""

from demo import seed
from mmm_wagtail.api.schemas import common, resources

from .conftest import get_json


def test_delegations_give_the_seed_blocks(demo, client):
    data = get_json(client, "delegations/")
    assert data["count"] == 3
    items = data["items"]
    assert [d["acronym"] for d in items] == ["UE", "ONU", "UNESCO"]
    assert [d["news_heading"] for d in items] == [d["news_heading"] for d in seed.DELEGATIONS]
    assert [d["summary"] for d in items] == [d["summary"] for d in seed.DELEGATIONS]
    latest = {d["acronym"]: [(n["title"], n["date_display"]) for n in d["latest_news"]] for d in items}
    assert latest == {
        "UE": [
            ("MAV : Transformer les Défis de la Maternité en Opportunités Professionnelles", "14.12.24"),
            (
                "Soutien aux enfants et aux familles en Europe : garantir aux familles les "
                "meilleurs soins possibles.",
                "05.12.24",
            ),
        ],
        "ONU": [
            ("Du local au mondial: des solutions concrètes pour mieux soutenir les mères", "16.12.24"),
            (
                "Investir dans l’éducation et la protection de la petite enfance pour la paix "
                "et la tolérance",
                "02.12.24",
            ),
        ],
        "UNESCO": [
            (
                "L’éducation des filles en Côte d’Ivoire : pierre angulaire du développement et "
                "de l’autonomisation des mères",
                "15.11.24",
            ),
            ("Les équipes MMM se mobilisent pour renforcer le droit à l’éducation", "19.06.24"),
        ],
    }
    # The related item lists its own delegation first, then UNESCO.
    related = items[2]["latest_news"][1]
    assert [d["acronym"] for d in related["delegations"]] == ["ONU", "UNESCO"]
    resources.DelegationList.model_validate(data)


def test_news_gives_the_seven_items_newest_first(demo, client):
    data = get_json(client, "news/")
    assert data["count"] == 7
    dates = [item["date"] for item in data["items"]]
    assert dates == sorted((n["date"].isoformat() for n in seed.NEWS), reverse=True)
    first = data["items"][0]
    assert first["dateline"] == "ONU, Genève"
    assert first["excerpt"].startswith("Le groupe de travail sur la discrimination")
    assert "Ã" not in first["excerpt"]
    assert {"slug": "soins", "name": "soins"} in first["tags"]
    assert first["meta"]["html_url"].endswith("/fr/delegations/onu/du-local-au-mondial/")
    assert first["meta"]["detail_url"] == f"http://localhost/api/mmm/news/{first['id']}/"
    resources.NewsList.model_validate(data)


def test_details_validate_against_their_schemas(demo, client):
    news = get_json(client, "news/")["items"][0]
    detail = get_json(client, f"news/{news['id']}/")
    resources.NewsDetail.model_validate(detail)
    assert detail["body"][0]["type"] == "paragraph"
    assert detail["translations"] == []
    delegation = get_json(client, "delegations/")["items"][0]
    resources.DelegationDetail.model_validate(get_json(client, f"delegations/{delegation['id']}/"))
    index = get_json(client, f"pages/{demo.pk}/")
    resources.DelegationIndex.model_validate(index)
    assert index["meta"]["type"] == "mmm_wagtail.DelegationIndexPage"
    assert [d["acronym"] for d in index["delegations"]] == ["UE", "ONU", "UNESCO"]
    assert index["news_feed"]["slug"] == "actualite-des-delegations"
    assert len(index["news_feed"]["items"]) == 6
    assert "statut consultatif général" in index["intro"]
    feeds = get_json(client, "feeds/")
    resources.FeedList.model_validate(feeds)
    feed = get_json(client, "feeds/actualite-des-delegations/")
    common.Feed.model_validate(feed)
    assert feed == get_json(client, f"feeds/{feed['id']}/")
    assert [i["id"] for i in feed["items"]] == [i["id"] for i in get_json(client, "news/?limit=6")["items"]]


def test_pages_endpoint_is_typed_by_meta_type(demo, client):
    news_id = get_json(client, "news/")["items"][0]["id"]
    assert get_json(client, f"pages/{news_id}/")["meta"]["type"] == "mmm_wagtail.NewsPage"
    delegation_id = get_json(client, "delegations/")["items"][0]["id"]
    assert get_json(client, f"pages/{delegation_id}/")["meta"]["type"] == "mmm_wagtail.DelegationPage"
    # Wagtail's own home page is not one of ours.
    assert get_json(client, f"pages/{demo.get_parent().pk}/", status=404)["errors"][0]["parameter"] == "id"


def test_find_by_path_with_and_without_language_prefix(demo, client):
    for path in ("/fr/delegations/onu/", "/delegations/onu/", "/fr/delegations/onu"):
        data = get_json(client, "pages/find/?path=" + path)
        assert data["acronym"] == "ONU", path
    assert get_json(client, "pages/find/?path=/fr/nowhere/", status=404)["errors"][0]["parameter"] == "path"


def test_root_lists_the_endpoints(demo, client):
    assert get_json(client, "")["news"] == "http://localhost/api/mmm/news/"
