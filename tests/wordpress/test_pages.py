"""WordPress pages given with ``--page WP_PAGE_SLUG=DELEGATION_SLUG`` become delegation bodies."""

import pytest
from django.core.management import CommandError
from django.test import override_settings

from mmm_wagtail.models import DelegationPage, NewsPage, WordPressImport

from . import wxr
from .test_import import EUROPE

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "mmm_wagtail.wordpress.middleware.QueryRedirectMiddleware",
]


def delegation(language):
    """The European delegation in ``language`` (the demo's English one has its own slug)."""
    french = DelegationPage.objects.get(slug="union-europeenne", locale__language_code="fr")
    return DelegationPage.objects.get(translation_key=french.translation_key, locale__language_code=language)


def pages_export(fr_text="Notre délégation auprès de l’Union européenne.", en_status="publish", extra=()):
    items = [
        wxr.post(
            501,
            "Délégation Europe",
            f"<!-- wp:heading --><h2>Notre action</h2><!-- /wp:heading --><p>{fr_text}</p>"
            f"<p><a href='{wxr.BASE}/?p=601'>Une actualité</a></p>",
            slug="delegation-europe",
            post_type="page",
            link=f"{wxr.BASE}/delegation-europe/",
            language="fr",
            group="pll_page",
        ),
        wxr.post(
            502,
            "Europe delegation",
            "<p>Our delegation to the European Union.</p>",
            slug="europe-delegation",
            post_type="page",
            status=en_status,
            link=f"{wxr.BASE}/en/europe-delegation/",
            language="en",
            group="pll_page",
        ),
        wxr.post(
            503, "Mentions légales", "<p>…</p>", slug="mentions-legales", post_type="page", language="fr"
        ),
        wxr.post(
            601,
            "Une actualité",
            f"<p><a href='{wxr.BASE}/en/europe-delegation/'>The delegation</a></p>",
            categories=EUROPE,
            language="fr",
        ),
        *extra,
    ]
    return wxr.export(items)


def run_pages(run_import, xml, *extra):
    return run_import(xml, "--page", "delegation-europe=union-europeenne", *extra)


def test_a_mapped_page_and_its_translation_become_the_delegations_bodies(run_import):
    output = run_pages(run_import, pages_export())
    french, english = delegation("fr"), delegation("en")
    assert [block.block_type for block in french.body] == ["heading", "paragraph"]
    assert french.body[0].value["text"] == "Notre action"
    assert "Union européenne" in french.body[1].value.source
    # A link to an imported post became a page link.
    news = NewsPage.objects.get(pk=WordPressImport.objects.get(key="601").object_id)
    assert f'id="{news.pk}" linktype="page"' in french.body[1].value.source
    assert "Our delegation to the European Union." in english.body[0].value.source
    # A link from a post to a mapped page (its translation, by permalink) is a link to its delegation.
    assert f'id="{english.pk}" linktype="page"' in news.body[0].value.source
    # Published, as both were live: the live page has the body, and the revision is the import's.
    assert french.live and not french.has_unpublished_changes
    row = WordPressImport.objects.get(key="501")
    assert (row.object_id, row.revision_id) == (french.pk, french.latest_revision_id)
    assert "Delegation bodies: 2 updated, 0 unchanged, 0 skipped." in output
    assert "1 WordPress page(s) not imported" in output  # the legal notice
    # The demo's English delegation is a synced translation: the report says what its next sync does.
    assert f"delegation {english.pk} is a synced translation" in output


def test_a_second_run_changes_nothing_and_an_edit_in_wagtail_is_kept(run_import):
    run_pages(run_import, pages_export())
    revisions = delegation("fr").latest_revision_id
    output = run_pages(run_import, pages_export())
    assert "Delegation bodies: 0 updated, 2 unchanged, 0 skipped." in output
    assert delegation("fr").latest_revision_id == revisions

    output = run_pages(run_import, pages_export(fr_text="Changé dans WordPress."))
    assert "Delegation bodies: 1 updated, 1 unchanged" in output
    assert "Changé dans WordPress." in delegation("fr").body[1].value.source

    page = delegation("fr")
    page.summary = "Édité dans Wagtail"
    page.save_revision().publish()
    output = run_pages(run_import, pages_export(fr_text="Encore changé."))
    assert f"delegation {page.pk} has changes made in Wagtail since: skipped" in output
    assert "Changé dans WordPress." in delegation("fr").body[1].value.source
    run_pages(run_import, pages_export(fr_text="Encore changé."), "--overwrite")
    page = delegation("fr")
    assert "Encore changé." in page.body[1].value.source
    assert page.summary == "Édité dans Wagtail"  # only the body is the import's


def test_a_draft_page_is_saved_as_a_draft_of_the_delegation(run_import):
    before = list(delegation("en").body.raw_data)
    run_pages(run_import, pages_export(en_status="draft"))
    english = delegation("en")
    assert list(english.body.raw_data) == before and english.has_unpublished_changes
    draft = english.get_latest_revision_as_object()
    assert "Our delegation to the European Union." in draft.body[0].value.source


def test_a_page_or_delegation_that_does_not_exist_is_a_clear_error(run_import):
    with pytest.raises(CommandError, match="--page qui-sommes-nous=union-europeenne: the export has no page"):
        run_import(pages_export(), "--page", "qui-sommes-nous=union-europeenne")
    with pytest.raises(CommandError, match="--page delegation-europe=nowhere: no delegation page"):
        run_import(pages_export(), "--page", "delegation-europe=nowhere")
    with pytest.raises(CommandError, match="expected WP_PAGE_SLUG=DELEGATION_SLUG"):
        run_import(pages_export(), "--page", "delegation-europe")
    assert not WordPressImport.objects.exists()


@override_settings(MIDDLEWARE=MIDDLEWARE)
def test_a_mapped_pages_old_urls_redirect_to_its_delegation(run_import, client):
    run_pages(run_import, pages_export())
    french, english = delegation("fr"), delegation("en")
    for old, page in {
        "/delegation-europe/": french,
        "/?page_id=501": french,
        "/en/europe-delegation/": english,
        "/?page_id=502&lang=en": english,
    }.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, page.url), old
    assert client.get("/?page_id=503").status_code != 301
