"""manage.py import_wordpress on exports built here (tests/wordpress/wxr.py)."""

from urllib.parse import unquote

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Revision
from wagtail_localize.models import Translation, TranslationSource

from mmm_wagtail.models import NewsPage, TagTranslation, WordPressImport

from . import wxr

EUROPE = [("europe", "Europe")]
ONU = [("onu", "ONU")]


def imported_images():
    """The images the import made (the demo content it runs beside has its own)."""
    return get_image_model().objects.exclude(file__startswith="original_images/demo-")


def imported_documents():
    return get_document_model().objects.exclude(file__startswith="documents/demo-")


def news(wp_id):
    row = WordPressImport.objects.get(kind="post", key=str(wp_id))
    return NewsPage.objects.get(pk=row.object_id)


def pair_export(fr_title="Soutien aux familles", en_title="Support for families", fr_extra="", **kw):
    terms = [
        wxr.category("europe", "Europe", 2),
        wxr.category("european-union", "European Union", 3),
        wxr.tag("conge-parental", "Congé parental", 4),
        wxr.tag("parental-leave", "Parental leave", 5),
        wxr.term_translations("pll_cat", {"fr": 2, "en": 3}, 6),
        wxr.term_translations("pll_tag", {"fr": 4, "en": 5}, 7),
    ]
    items = [
        wxr.post(
            101,
            fr_title,
            f"<p>Nous avons eu le plaisir de coorganiser l’événement.</p>{fr_extra}",
            slug="soutien-aux-familles",
            categories=EUROPE,
            tags=[("conge-parental", "Congé parental")],
            language="fr",
            group="pll_1",
            excerpt="Un <b>résumé</b>.",
            meta={"dateline": "UE, Bruxelles"},
        ),
        wxr.post(
            102,
            en_title,
            "<p>We were pleased to co-organise the event.</p>",
            slug="support-for-families",
            link=f"{wxr.BASE}/en/2024/12/14/support-for-families/",
            categories=[("european-union", "European Union")],
            tags=[("parental-leave", "Parental leave")],
            language="en",
            group="pll_1",
        ),
    ]
    return wxr.export(items, terms, **kw)


def test_polylang_pair_becomes_a_source_and_its_translation(run_import):
    output = run_import(pair_export())
    assert "Posts: 2 created, 0 updated, 0 unchanged, 0 skipped." in output
    french, english = news(101), news(102)
    assert french.locale.language_code == "fr" and english.locale.language_code == "en"
    assert english.translation_key == french.translation_key
    assert english.get_parent().specific.locale == english.locale  # the English delegation
    assert english.get_parent().translation_key == french.get_parent().translation_key
    source = TranslationSource.objects.get_for_instance(french)
    translation = Translation.objects.get(source=source, target_locale=english.locale)
    assert not translation.enabled  # its own text kept, not synchronised from the French
    assert english.title == "Support for families"
    assert "co-organise" in english.body.raw_data[0]["value"]
    assert french.excerpt == "Un résumé." and french.dateline == "UE, Bruxelles"
    # Tags are shared; the English term names the tag in English.
    tag = Tag.objects.get(name="Congé parental")
    assert list(english.tags.all()) == [tag] == list(french.tags.all())
    assert TagTranslation.objects.get(tag=tag, locale=english.locale).name == "Parental leave"
    assert not Tag.objects.filter(name="Parental leave").exists()


def test_wpml_pair(run_import):
    items = [
        wxr.post(201, "Éducation des filles", "<p>Texte.</p>", categories=ONU, wpml=("fr", "", "g1")),
        wxr.post(202, "Girls' education", "<p>Text.</p>", categories=ONU, wpml=("en", "fr", "g1")),
        wxr.post(203, "Only in English", "<p>Alone.</p>", categories=ONU, wpml=("en", "", "g2")),
    ]
    run_import(wxr.export(items))
    assert news(202).translation_key == news(201).translation_key
    assert news(203).locale.language_code == "en"
    assert news(203).translation_key != news(201).translation_key
    assert TranslationSource.objects.get_for_instance(news(201))


def test_every_shortcode_and_block_kind(run_import):
    uploads = f"{wxr.BASE}/wp-content/uploads/2024/12"
    button = '<div class="wp-block-buttons"><div class="wp-block-button"><a class="wp-block-button__link"'
    content = "\n".join(
        [
            '<!-- wp:heading {"level":3} --><h3>Un titre</h3><!-- /wp:heading -->',
            f'<!-- wp:paragraph --><p>Voir <a href="{wxr.BASE}/?p=302">l’autre</a> et '
            f'<a href="https://example.org/">ceci</a> et <a href="{uploads}/rapport.pdf">le rapport</a>.</p>'
            "<!-- /wp:paragraph -->",
            '<!-- wp:quote --><blockquote class="wp-block-quote"><p>Les mères comptent.</p><cite>MMM</cite>'
            "</blockquote><!-- /wp:quote -->",
            '<!-- wp:shortcode -->[caption id="attachment_900" align="alignnone" width="8"]'
            f'<img class="wp-image-900" src="{uploads}/mav-300x200.png" alt="" /> Une légende[/caption]'
            "<!-- /wp:shortcode -->",
            "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]",
            '[gallery ids="900,900"]',
            f'[video mp4="{uploads}/clip.mp4"][/video]',
            '[video src="https://vimeo.com/76979871"]',
            '[contact-form-7 id="12"]',
            f'<!-- wp:file --><div class="wp-block-file"><a href="{uploads}/rapport.pdf">Rapport 2024</a>'
            "</div><!-- /wp:file -->",
            f'<!-- wp:buttons -->{button} href="https://example.org/don">Faire un don</a></div></div>'
            "<!-- /wp:buttons -->",
            f'<!-- wp:buttons -->{button} href="{wxr.BASE}/2024/12/14/autre/">Lire</a></div></div>'
            "<!-- /wp:buttons -->",
            '<!-- wp:columns --><div class="wp-block-columns"><p>Colonnes</p></div><!-- /wp:columns -->',
            "<!-- wp:mystery/widget --><p>Inconnu</p><!-- /wp:mystery/widget -->",
        ]
    )
    items = [
        wxr.attachment(900, "2024/12/mav.png", title="MAV", alt="Une mère et son enfant"),
        wxr.post(301, "Tous les blocs", content, categories=EUROPE, meta={"_thumbnail_id": 900}),
        wxr.post(302, "Autre", "Premier paragraphe\n\nSecond\nligne", slug="autre", categories=EUROPE),
    ]
    output = run_import(wxr.export(items))
    page, other = news(301), news(302)
    blocks = page.body.raw_data
    kinds = [block["type"] for block in blocks]
    assert set(kinds) == {"heading", "paragraph", "quote", "image", "embed", "document", "call_to_action"}
    assert blocks[0]["value"] == {"text": "Un titre", "level": "h3"}
    paragraph = blocks[1]["value"]
    assert f'<a id="{other.pk}" linktype="page">l’autre</a>' in paragraph
    assert '<a href="https://example.org/">ceci</a>' in paragraph
    assert 'linktype="document"' in paragraph
    assert blocks[2]["value"] == {"quote": "Les mères comptent.", "attribution": "MMM"}
    images = [block["value"] for block in blocks if block["type"] == "image"]
    assert len(images) == 3  # the caption's and the gallery's two
    assert images[0]["caption"] == "Une légende"
    assert images[0]["alt_text"] == "Une mère et son enfant"  # the attachment's alt
    assert len({image["image"] for image in images}) == 1 == imported_images().count()
    embeds = [block["value"] for block in blocks if block["type"] == "embed"]
    assert embeds == ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://vimeo.com/76979871"]
    documents = [block["value"] for block in blocks if block["type"] == "document"]
    assert [d["title"] for d in documents] == ["", "Rapport 2024"]  # the video file, the file block
    actions = [block["value"] for block in blocks if block["type"] == "call_to_action"]
    assert actions == [
        {"text": "Faire un don", "page": None, "url": "https://example.org/don"},
        {"text": "Lire", "page": other.pk, "url": ""},
    ]
    assert any("contact-form-7" in block["value"] for block in blocks if block["type"] == "paragraph")
    assert "post 301: shortcode [contact-form-7] not known, kept as text" in output
    assert "post 301: Gutenberg block wp:mystery/widget not known" in output
    assert page.image_id == images[0]["image"]
    assert page.image.description == "Une mère et son enfant"
    # Classic content: paragraphs from blank lines, a <br> from a line break.
    assert (
        other.body.raw_data[0]["value"].replace("\n", "")
        == "<p>Premier paragraphe</p><p>Second<br/>ligne</p>"
    )


def test_broken_encoding_is_repaired(run_import):
    broken = "Nous sommes heureux d’annoncer la participation"
    mojibake = broken.encode("utf-8").decode("cp1252") + " de MMM, participÃ©"
    run_import(wxr.export([wxr.post(401, "Ã‰vÃ©nement", f"<p>{mojibake}</p>", categories=EUROPE)]))
    page = news(401)
    assert page.title == "Événement"
    assert page.body.raw_data[0]["value"] == f"<p>{broken} de MMM, participé</p>"


def test_drafts_are_never_published_and_protected_posts_skipped(run_import, client):
    items = [
        wxr.post(501, "Brouillon", "<p>a</p>", status="draft", categories=EUROPE, slug="brouillon"),
        wxr.post(502, "Privé", "<p>b</p>", status="private", categories=EUROPE),
        wxr.post(503, "En attente", "<p>c</p>", status="pending", categories=EUROPE),
        wxr.post(
            504, "Programmé", "<p>d</p>", status="future", categories=EUROPE, date="2030-01-01 10:00:00"
        ),
        wxr.post(505, "Secret", "<p>e</p>", password="hunter2", categories=EUROPE),
        wxr.post(506, "Publié", "<p>f</p>", categories=EUROPE, slug="publie"),
    ]
    output = run_import(wxr.export(items))
    assert "post 505: password-protected: skipped" in output
    assert not WordPressImport.objects.filter(key="505").exists()
    for wp_id in (501, 502, 503, 504):
        page = news(wp_id)
        assert not page.live and page.latest_revision is not None
    assert news(506).live
    listed = {item["title"] for item in client.get("/api/mmm/news/?limit=100").json()["items"]}
    assert "Publié" in listed
    assert not listed & {"Brouillon", "Privé", "En attente", "Programmé", "Secret"}
    assert client.get(news(501).get_url() or "/fr/delegations/union-europeenne/brouillon/").status_code == 404
    call_command("rebuild_news_listing", "--check", verbosity=0)


def _counts():
    return (
        NewsPage.objects.count(),
        Revision.objects.count(),
        Redirect.objects.count(),
        Tag.objects.count(),
        TagTranslation.objects.count(),
        imported_images().count(),
        WordPressImport.objects.count(),
        TranslationSource.objects.count(),
    )


def test_a_second_run_changes_nothing(run_import):
    xml = pair_export(
        fr_extra=f'<img class="wp-image-900" src="{wxr.BASE}/wp-content/uploads/2024/12/mav.png">'
    )
    xml = xml.replace("</channel>", wxr.attachment(900, "2024/12/mav.png", alt="Alt") + "</channel>")
    run_import(xml)
    before = _counts()
    updated = {page.pk: page.latest_revision_id for page in NewsPage.objects.all()}
    output = run_import(xml)
    assert "Posts: 0 created, 0 updated, 2 unchanged, 0 skipped." in output
    assert "Redirects: 0 created, 0 updated," in output
    assert _counts() == before
    assert {page.pk: page.latest_revision_id for page in NewsPage.objects.all()} == updated


def test_a_changed_post_is_updated_but_an_edit_in_wagtail_is_not_overwritten(run_import):
    run_import(pair_export())
    run_import(pair_export(fr_title="Soutien aux familles (mis à jour)"))
    french = news(101)
    assert french.title == "Soutien aux familles (mis à jour)" and french.live
    # An editor changes the English page in Wagtail.
    english = news(102)
    english.title = "Edited in Wagtail"
    english.save_revision().publish()
    output = run_import(
        pair_export(fr_title="Soutien aux familles (mis à jour)", en_title="Changed in WordPress")
    )
    assert "post 102: changed in WordPress, but page" in output and "was edited in Wagtail" in output
    assert "0 updated, 1 unchanged, 1 skipped" in output
    assert news(102).title == "Edited in Wagtail"
    output = run_import(
        pair_export(fr_title="Soutien aux familles (mis à jour)", en_title="Changed in WordPress"),
        "--overwrite",
    )
    assert news(102).title == "Changed in WordPress"
    call_command("rebuild_news_listing", "--check", verbosity=0)


def test_dry_run_writes_nothing(run_import):
    before = _counts()
    output = run_import(pair_export(), "--dry-run")
    assert output.startswith("Dry run, nothing written. Posts: 2 created")
    assert _counts() == before


@override_settings(
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "wagtail.contrib.redirects.middleware.RedirectMiddleware",
        "mmm_wagtail.wordpress.middleware.QueryRedirectMiddleware",
    ]
)
def test_old_urls_answer_301_to_the_new_pages(run_import, client):
    run_import(pair_export(), "--listing-url", "/frontend/?tag={slug}")
    french, english = news(101), news(102)
    cases = {
        "/2024/12/14/soutien-aux-familles/": french,
        "/2024/12/14/soutien-aux-familles": french,
        "/?p=101": french,
        "/?page_id=101": french,
        "/fr/?p=101": french,
        "/en/2024/12/14/support-for-families/": english,
        "/?p=102&lang=en": english,
        "/en/?page_id=102": english,
        "/category/europe/": french.get_parent(),
        "/en/category/european-union/": english.get_parent(),
    }
    for old, page in cases.items():
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == page.url, old
    response = client.get("/tag/conge-parental/")
    slug = Tag.objects.get(name="Congé parental").slug
    assert (response.status_code, unquote(response["Location"])) == (301, f"/frontend/?tag={slug}")
    assert client.get("/?p=999").status_code != 301


@pytest.mark.parametrize(
    "prologue",
    [
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    ],
    ids=["external-entity", "billion-laughs"],
)
def test_a_hostile_export_is_refused(run_import, prologue):
    xml = wxr.export([wxr.post(601, "&d; &xxe;", "<p>x</p>", categories=EUROPE)], prologue=prologue)
    xml = xml.replace("&amp;d; &amp;xxe;", "&d;&xxe;")
    with pytest.raises(CommandError, match="Refused: the export declares a document type or entities"):
        run_import(xml)
    assert not WordPressImport.objects.exists()


def test_nothing_is_read_outside_the_uploads(run_import):
    items = [
        wxr.attachment(700, "../secret.png"),
        wxr.post(701, "Image", "<p>x</p>", categories=EUROPE, meta={"_thumbnail_id": 700}),
    ]
    output = run_import(wxr.export(items))
    assert "post 701: refused a file path outside the uploads folder: ../secret.png" in output
    assert news(701).image is None and not imported_images().exists()


def test_several_mapped_categories_give_related_delegations(run_import):
    run_import(
        wxr.export([wxr.post(801, "Deux", "<p>x</p>", categories=ONU + EUROPE + [("sante", "Santé")])])
    )
    page = news(801)
    assert page.get_parent().slug == "onu"
    assert [d.slug for d in page.related_delegations.all()] == ["union-europeenne"]
    assert [t.name for t in page.tags.all()] == ["Santé"]


def test_unknown_delegation_is_a_clear_error(run_import):
    with pytest.raises(CommandError, match="no delegation page has the slug 'nowhere'"):
        run_import(wxr.export([]), mapping=["europe=nowhere"])


def test_a_file_missing_from_the_uploads_is_downloaded_only_when_asked(run_import, tmp_path):
    import functools
    import http.server
    import threading

    served = tmp_path / "served" / "wp-content" / "uploads" / "2025" / "01"
    served.mkdir(parents=True)
    from PIL import Image as PILImage

    PILImage.new("RGB", (4, 4), (0, 90, 200)).save(served / "remote.png")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "served"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        items = [
            wxr.attachment(950, "2025/01/remote.png", base=base),
            wxr.post(951, "Distante", "<p>x</p>", categories=EUROPE, meta={"_thumbnail_id": 950}),
        ]
        output = run_import(wxr.export(items))
        assert "post 951: file not found in the uploads: 2025/01/remote.png" in output
        assert news(951).image is None
        WordPressImport.objects.filter(kind="post").delete()  # import it anew
        NewsPage.objects.filter(title="Distante").delete()
        run_import(wxr.export(items), "--download", "--timeout", "5")
        image = news(951).image
        assert (image.width, image.height) == (4, 4)
    finally:
        server.shutdown()
        server.server_close()
