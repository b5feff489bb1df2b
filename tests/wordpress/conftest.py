import io

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from . import wxr


@pytest.fixture
def uploads(tmp_path):
    """A copy of wp-content/uploads: one PNG, one PDF, one video file."""
    folder = tmp_path / "uploads" / "2024" / "12"
    folder.mkdir(parents=True)
    PILImage.new("RGB", (8, 6), (200, 30, 90)).save(folder / "mav.png")
    (folder / "rapport.pdf").write_bytes(b"%PDF-1.4\n%test\n")
    (folder / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (tmp_path / "secret.png").write_bytes(b"not for the import")
    return tmp_path / "uploads"


@pytest.fixture
def run_import(demo_multilingual, tmp_path, uploads):
    """Runs the command on an export given as text; returns its output."""

    def run(xml, *extra, mapping=("europe=union-europeenne", "onu=onu", "unesco=unesco")):
        path = tmp_path / "export.xml"
        path.write_text(xml, encoding="utf-8")
        out = io.StringIO()
        args = [str(path), "--no-input", "--uploads", str(uploads)]
        for value in mapping:
            args += ["--delegation", value]
        call_command("import_wordpress", *args, *extra, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def builder():
    return wxr
