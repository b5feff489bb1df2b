"""Fails unless the wheel holds migrations, templates and locale files, and no tests or example,
and its version is the package's ``__version__`` (a ``.dev`` version on main, see docs/release.md)."""

import re
import sys
import zipfile
from pathlib import Path

wheel = sys.argv[1]
names = zipfile.ZipFile(wheel).namelist()
required = {
    "migrations": "mmm_wagtail/migrations/0001_initial.py",
    "templates": "mmm_wagtail/templates/mmm_wagtail/pages/news_page.html",
    "French .po": "mmm_wagtail/locale/fr/LC_MESSAGES/django.po",
    "French .mo": "mmm_wagtail/locale/fr/LC_MESSAGES/django.mo",
    "stylesheet": "mmm_wagtail/static/mmm_wagtail/mmm_wagtail.css",
    "uninstall command": "mmm_wagtail/management/commands/mmm_wagtail_uninstall.py",
}
errors = [f"missing {what}: {path}" for what, path in required.items() if path not in names]
errors += [
    f"should not ship: {n}"
    for n in names
    if n.startswith(("tests/", "example_project/", "demo/", "mysite/", "benchmarks/"))
]
init = (Path(__file__).resolve().parent.parent / "mmm_wagtail" / "__init__.py").read_text()
version = re.search(r'__version__ = "([^"]+)"', init)[1]
# A release (X.Y.Z) or main's development version (X.Y.Z.devN); nothing else is PEP 440 here.
if not re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+)?", version):
    errors.append(f"__version__ {version!r} is neither X.Y.Z nor X.Y.Z.devN")
if not Path(wheel).name.startswith(f"mmm_wagtail-{version}-"):
    errors.append(f"{Path(wheel).name} is not version {version}")
print(f"{wheel}: {len(names)} files, version {version}")
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("wheel contents OK")
