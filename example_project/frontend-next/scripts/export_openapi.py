"""Print the OpenAPI document of the package's API (the standalone mount, /api/mmm/) as the
example site serves it, without a server or a database: the input of the generated client.

    ../../.venv/bin/python scripts/export_openapi.py > openapi.json
"""

import json
import os
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(EXAMPLE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

import django  # noqa: E402

django.setup()

from mmm_wagtail.api.urls import api  # noqa: E402

document = api.get_openapi_schema(path_prefix="/api/mmm/")
json.dump(document, sys.stdout, ensure_ascii=False, indent=1, sort_keys=False)
sys.stdout.write("\n")
