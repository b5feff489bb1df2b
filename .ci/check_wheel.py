"""Fails unless the wheel holds migrations, templates and locale files, and no tests or example."""

import sys
import zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
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
print(f"{sys.argv[1]}: {len(names)} files")
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("wheel contents OK")
