"""Category, tag and author archives, and their pages, redirect where the content went."""

from urllib.parse import unquote

from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect

from mmm_wagtail.wordpress import redirects

from . import wxr
from .test_import import news, pair_export
from .test_pages import MIDDLEWARE


def archive_export(posts=23):
    """``posts`` French posts of Europe by "marie.dupont" (tag "paix"), one ONU post by another author."""
    items = [
        wxr.post(
            700 + n,
            f"Actualité {n}",
            "<p>Texte.</p>",
            categories=[("europe", "Europe")],
            tags=[("paix", "Paix")],
            author="marie.dupont",
            language="fr",
        )
        for n in range(posts)
    ]
    items.append(wxr.post(799, "À l'ONU", "<p>Texte.</p>", categories=[("onu", "ONU")], author="paul"))
    terms = [
        wxr.author("marie.dupont", 3, "Marie Dupont"),
        wxr.author("paul", 4),
        wxr.author("nobody", 5),
        wxr.category("europe", "Europe", 2),
        wxr.category("onu", "ONU", 8),
        wxr.tag("paix", "Paix", 9),
    ]
    return wxr.export(items, terms)


def test_the_pages_of_an_archive_are_counted_at_wordpress_s_posts_per_page():
    assert [redirects.page_count(n, 10) for n in (0, 1, 10, 11, 23)] == [1, 1, 1, 2, 3]
    export = type("Export", (), {"site": "https://example.org/blog"})()
    paths = redirects.archive_paths(export, "category", "europe", 2, ["en"], pages=3)
    assert paths == {
        "/blog/category/europe/",
        "/blog/category/europe/page/2/",
        "/blog/category/europe/page/3/",
        "/blog/en/category/europe/",
        "/blog/en/category/europe/page/2/",
        "/blog/en/category/europe/page/3/",
        "/blog/?cat=2",
    }
    assert redirects.author_slug("Marie.Dupont") == "marie-dupont"


@override_settings(MIDDLEWARE=MIDDLEWARE)
def test_paginated_and_author_archives_redirect_to_the_delegation_or_the_listing(run_import, client):
    run_import(archive_export(), "--listing-url", "/frontend/?tag={slug}")
    europe = news(700).get_parent()
    onu = news(799).get_parent()
    slug = news(700).tags.get().slug
    cases = {
        "/category/europe/page/2/": europe.url,
        "/category/europe/page/3/": europe.url,
        "/tag/paix/page/3/": f"/frontend/?tag={slug}",
        "/author/marie-dupont/": europe.url,
        "/author/marie-dupont/page/3/": europe.url,
        "/?author=3": europe.url,
        "/author/paul/": onu.url,
    }
    for old, target in cases.items():
        response = client.get(old)
        assert (response.status_code, unquote(response["Location"])) == (301, target), old
    # 23 posts at 10 a page: three pages, no fourth; an author without posts gets nothing.
    for missing in ("/category/europe/page/4/", "/author/nobody/", "/?author=5"):
        assert client.get(missing).status_code != 301, missing


def test_fewer_posts_per_page_give_more_archive_pages(run_import):
    run_import(archive_export(posts=5), "--per-page", "2")
    assert Redirect.objects.filter(old_path="/category/europe/page/3").exists()
    assert not Redirect.objects.filter(old_path="/category/europe/page/4").exists()


def test_an_author_writing_for_several_delegations_gets_no_redirect(run_import):
    xml = archive_export(posts=2).replace(
        "<dc:creator><![CDATA[paul]]>", "<dc:creator><![CDATA[marie.dupont]]>"
    )
    run_import(xml)
    assert not Redirect.objects.filter(old_path__contains="/author/").exists()


@override_settings(MIDDLEWARE=MIDDLEWARE)
def test_a_translated_authors_archive_under_its_language_prefix(run_import, client):
    xml = pair_export().replace("</channel>", wxr.author("admin", 1) + "</channel>")
    run_import(xml)
    french, english = news(101), news(102)
    assert client.get("/author/admin/")["Location"] == french.get_parent().url
    assert client.get("/en/author/admin/")["Location"] == english.get_parent().url
