"""The package's editor-facing strings ship in French: MMM's editors work in French."""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

import mmm_wagtail
from mmm_wagtail.blocks import BodyBlock, HeadingBlock
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage

PACKAGE_DIR = Path(mmm_wagtail.__file__).parent
PO_FILE = PACKAGE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[^{}]*\}")


def parse_po(path):
    """The entries of a .po file as dicts (msgid, msgid_plural, msgstr list, flags), header included.

    Enough of the format for makemessages' output; no polib needed."""
    entries = []
    for chunk in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"flags": set(), "msgid": "", "msgid_plural": None, "msgstr": [], "obsolete": False}
        field = None
        for line in chunk.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                text = ast.literal_eval(line)
                if field == "msgstr":
                    entry["msgstr"][-1] += text
                else:
                    entry[field] += text
            else:
                keyword, _, literal = line.partition(" ")
                text = ast.literal_eval(literal)
                if keyword.startswith("msgstr"):
                    field = "msgstr"
                    entry["msgstr"].append(text)
                else:
                    field = keyword
                    entry[field] = text
        entries.append(entry)
    return entries


def messages(entries):
    return [entry for entry in entries if entry["msgid"] and not entry["obsolete"]]


@pytest.fixture
def fr():
    with translation.override("fr"):
        yield


def test_page_types_and_snippet_are_named_in_french(fr):
    assert str(DelegationIndexPage._meta.verbose_name) == "page d'accueil des délégations"
    assert str(DelegationIndexPage._meta.verbose_name_plural) == "pages d'accueil des délégations"
    assert str(DelegationPage._meta.verbose_name) == "délégation"
    assert str(DelegationPage._meta.verbose_name_plural) == "délégations"
    assert str(NewsPage._meta.verbose_name) == "actualité"
    assert str(NewsPage._meta.verbose_name_plural) == "actualités"
    assert str(NewsFeed._meta.verbose_name) == "fil d'actualités"
    assert str(NewsFeed._meta.verbose_name_plural) == "fils d'actualités"
    assert str(apps.get_app_config("mmm_wagtail").verbose_name) == "Délégations de MMM"


def test_field_labels_and_help_texts_are_in_french(fr):
    dateline = NewsPage._meta.get_field("dateline")
    assert str(dateline.verbose_name) == "provenance"
    assert str(dateline.help_text) == "D'où vient l'actualité, par ex. « ONU, Genève »."
    assert str(NewsPage._meta.get_field("excerpt").help_text) == (
        "Accroche en texte brut, affichée sur les cartes et dans les fils. "
        "Laissez vide pour utiliser le début du contenu."
    )
    acronym = DelegationPage._meta.get_field("acronym")
    assert str(acronym.verbose_name) == "sigle"
    assert str(acronym.help_text) == "Nom court affiché sur les cartes d'actualité, par ex. UE, ONU, UNESCO."
    assert str(NewsFeed._meta.get_field("title").help_text) == (
        "Affiché au-dessus des actualités, par ex. « L'actualité des délégations de MMM »."
    )


def test_block_labels_and_choices_are_in_french(fr):
    body = BodyBlock()
    assert str(body.child_blocks["paragraph"].label) == "Paragraphe"
    assert str(body.child_blocks["call_to_action"].label) == "Appel à l'action"
    assert str(body.child_blocks["embed"].label) == "Contenu intégré"
    assert str(body.child_blocks["news_feed"].label) == "Fil d'actualités"
    level = HeadingBlock().child_blocks["level"]
    assert str(level.label) == "Niveau"
    assert [str(label) for _, label in level.field.choices] == [
        "Titre de niveau 2",
        "Titre de niveau 3",
        "Titre de niveau 4",
    ]


def test_english_stays_english():
    """The translation is a catalogue, not a rewrite of the source strings."""
    with translation.override("en"):
        assert str(NewsPage._meta.verbose_name) == "news item"
        assert str(BodyBlock().child_blocks["call_to_action"].label) == "Call to action"


def test_po_file_is_completely_translated():
    entries = parse_po(PO_FILE)
    header = entries[0]
    assert header["msgid"] == ""
    assert "Language: fr\n" in header["msgstr"][0]
    assert "fuzzy" not in header["flags"]
    translated = messages(entries)
    assert len(translated) > 90
    untranslated = [e["msgid"] for e in translated if not all(e["msgstr"])]
    assert untranslated == []
    fuzzy = [e["msgid"] for e in translated if "fuzzy" in e["flags"]]
    assert fuzzy == []
    obsolete = [e["msgid"] for e in entries if e["obsolete"]]
    assert obsolete == []


def test_po_translations_keep_their_placeholders():
    for entry in messages(parse_po(PO_FILE)):
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for msgstr in entry["msgstr"]:
            assert sorted(PLACEHOLDER.findall(msgstr)) == wanted, entry["msgid"]
        if "python-format" in entry["flags"]:
            assert wanted, f"python-format flag without a placeholder: {entry['msgid']!r}"


def test_compiled_mo_matches_the_po():
    """The .mo that Django reads is compiled from the committed .po (compilemessages was run)."""
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [
        entry["msgid"]
        for entry in messages(parse_po(PO_FILE))
        if entry["msgid_plural"] is None and catalogue.gettext(entry["msgid"]) != entry["msgstr"][0]
    ]
    assert stale == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext (xgettext)")
def test_po_file_lists_every_string_of_the_source(tmp_path):
    """Strings added to the code since the last `make messages` would reach editors in English."""
    copy = tmp_path / "mmm_wagtail"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    committed = {entry["msgid"] for entry in messages(parse_po(PO_FILE))}
    in_source = {entry["msgid"] for entry in messages(parse_po(copy / PO_FILE.relative_to(PACKAGE_DIR)))}
    assert sorted(in_source - committed) == [], "run `make messages` and translate the new strings"
    assert sorted(committed - in_source) == [], "run `make messages` to drop strings the code no longer uses"
