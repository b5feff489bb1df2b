"""The package's management commands leave nothing stale and delete nothing unannounced (#20, item 7)."""

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from mmm_wagtail.models import DelegationIndexPage, NewsListing

from .conftest import get_json, make_news


def test_rebuild_news_listing_invalidates_the_answers_it_repaired(tree, client):
    _, eu, _ = tree
    page = make_news(eu, title="Lost")
    # Behind the signals' back (rows lost): the read model and every answer built from it drift.
    NewsListing.objects.filter(pk=page.pk).delete()
    assert get_json(client, "news/")["items"] == []  # and cached
    call_command("rebuild_news_listing", verbosity=0)
    assert [item["title"] for item in get_json(client, "news/")["items"]] == ["Lost"]


@pytest.fixture
def site_on_landing(tree):
    index, _, _ = tree
    return Site.objects.create(hostname="delegations.example", port=80, root_page=index, site_name="Deleg")


def test_uninstall_lists_the_sites_it_deletes_and_asks(tree, site_on_landing, monkeypatch):
    make_news(tree[1])
    out = io.StringIO()
    call_command("mmm_wagtail_uninstall", stdout=out)
    listed = out.getvalue()
    assert "1 Sites rooted at one of these pages" in listed
    assert "Site delegations.example:80 (Deleg)" in listed
    # --delete asks; anything but "yes" deletes nothing.
    answers = iter(["no"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="Nothing deleted"):
        call_command("mmm_wagtail_uninstall", "--delete", stdout=io.StringIO())
    assert Site.objects.filter(pk=site_on_landing.pk).exists() and DelegationIndexPage.objects.exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("mmm_wagtail_uninstall", "--delete", stdout=io.StringIO())
    assert (
        not Site.objects.filter(pk=site_on_landing.pk).exists() and not DelegationIndexPage.objects.exists()
    )


def test_uninstall_no_input_deletes_without_asking(tree, monkeypatch):
    def refuse(prompt):
        raise AssertionError("asked")

    monkeypatch.setattr("builtins.input", refuse)
    pages = Page.objects.count()
    call_command("mmm_wagtail_uninstall", "--delete", "--no-input", stdout=io.StringIO())
    assert not DelegationIndexPage.objects.exists() and Page.objects.count() == pages - 3
