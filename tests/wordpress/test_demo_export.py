"""The demo's WordPress export (example_project/demo/wordpress/), as ``make demo-import`` imports it."""

import io
from pathlib import Path

from django.core.management import call_command

from mmm_wagtail.models import NewsPage, WordPressImport

DEMO = Path(__file__).resolve().parents[2] / "example_project" / "demo" / "wordpress"


def test_the_demo_export_imports_cleanly(demo_multilingual):
    out = io.StringIO()
    args = [str(DEMO / "export.xml"), "--no-input", "--uploads", str(DEMO / "uploads")]
    for mapping in ("union-europeenne-fr=union-europeenne", "onu-fr=onu", "unesco-fr=unesco"):
        args += ["--delegation", mapping]
    call_command("import_wordpress", *args, stdout=out)
    report = out.getvalue()
    assert "Posts: 11 created, 0 updated, 0 unchanged, 1 skipped." in report
    assert "post 2120: password-protected: skipped" in report
    assert "post 2105: shortcode [contact-form-7] not known, kept as text" in report

    def page(wp_id):
        return NewsPage.objects.get(pk=WordPressImport.objects.get(kind="post", key=str(wp_id)).object_id)

    french, english = page(2101), page(2102)
    assert english.translation_key == french.translation_key
    assert "MMM a participé à l’audition" in french.body.raw_data[0]["value"]
    assert french.image is not None and french.image.description.startswith("Deux silhouettes")
    assert not page(2111).live  # the draft
    assert {d.slug for d in page(2103).related_delegations.all()} == {"onu"}
