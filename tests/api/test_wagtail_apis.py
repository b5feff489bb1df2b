"""Wagtail's own APIs still list our page types with their fields; ours mounts inside v3."""

import pytest

from mmm_wagtail.api.wagtail_v3 import wagtail_v3_available

V2_FIELDS = "date,dateline,teaser,tags,related_delegations,image"


def test_wagtail_api_v2_lists_news_with_their_fields(demo, client):
    response = client.get(f"/api/v2/pages/?type=mmm_wagtail.NewsPage&fields={V2_FIELDS}&limit=20")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 7
    related = next(i for i in data["items"] if i["meta"]["slug"].startswith("les-equipes"))
    assert related["dateline"] == "ONU Genève"
    assert set(related["tags"]) == {"éducation", "droits humains"}
    assert len(related["related_delegations"]) == 1
    assert related["teaser"].startswith("Une résolution")


def test_wagtail_api_v2_delegation_fields(demo, client):
    response = client.get("/api/v2/pages/?type=mmm_wagtail.DelegationPage&fields=acronym,news_heading,body")
    assert response.status_code == 200
    assert [i["acronym"] for i in response.json()["items"]] == ["UE", "ONU", "UNESCO"]


@pytest.mark.skipif(not wagtail_v3_available(), reason="Wagtail API v3 is new in Wagtail 8")
def test_our_router_inside_wagtail_api_v3(demo, client):
    ours = client.get("/api/v3/mmm/news/?limit=2")
    assert ours.status_code == 200
    data = ours.json()
    assert data["count"] == 7
    assert data["items"][0]["meta"]["detail_url"].startswith("http://localhost/api/v3/mmm/news/")
    # Our error shape holds inside v3: problem+json like v3's own, with our errors member.
    bad = client.get("/api/v3/mmm/news/?limit=0", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert bad.json()["errors"] == [{"parameter": "limit", "message": "Must be at least 1."}]
    assert bad.json()["status"] == 400 and bad.json()["title"] == "Bad Request"
    # Messages follow the request's language (the site's default, French, without one).
    french = client.get("/api/v3/mmm/news/?limit=0").json()
    assert french["errors"] == [{"parameter": "limit", "message": "Doit valoir au moins 1."}]
    assert client.get("/api/v3/mmm/news/999999/").status_code == 404
    schema = client.get("/api/v3/openapi.json").json()
    assert "/api/v3/mmm/news/" in schema["paths"]
