# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make demo   - the example site with the demo content on http://127.0.0.1:8000 (PORT=8123 for another)
#   make demo-next - the same, with the Next.js frontend beside it on http://127.0.0.1:3000
#   make test   - the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Pin another Wagtail for one run, e.g. make test WAGTAIL='wagtail>=7.4,<7.5'
WAGTAIL ?=
# and another Django, e.g. make test VENV=.venv-dj61 PYTHON=python3.13 DJANGO='Django>=6.1,<6.2'
DJANGO ?=
MANAGE := cd example_project && ../$(BIN)/python manage.py
# make demo PORT=8123 serves the demo on another port (its Site gets that port, so links are right).
PORT ?= 8000

.PHONY: demo demo-import demo-next test browser-test venv lint docs messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test,docs]" $(if $(WAGTAIL),'$(WAGTAIL)') $(if $(DJANGO),'$(DJANGO)')
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content --admin --site 127.0.0.1:$(PORT)
	@echo "Site: http://127.0.0.1:$(PORT)/  Admin: http://127.0.0.1:$(PORT)/admin/ (admin / admin)  API: http://127.0.0.1:$(PORT)/api/mmm/docs"
	@# The task queue's worker beside the server (webhooks, purges, Wagtail's own tasks): docs/caching.md.
	cd example_project && (../$(BIN)/python manage.py db_worker >db_worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker' EXIT INT TERM; ../$(BIN)/python manage.py runserver 127.0.0.1:$(PORT))

# The example site (8000) and the Next.js frontend (3000, example_project/frontend-next) side by side:
# Wagtail's "Headless frontend" preview opens the Next.js app, publishes revalidate it by webhook.
NEXT_DIR := example_project/frontend-next
DEMO_WEBHOOK_SECRET := whsec_ZGVtby1zZWNyZXQtZm9yLXRoZS1uZXh0anMtZGVtbw==
demo-next: venv
	cd $(NEXT_DIR) && npm ci --no-audit --no-fund && PYTHON=$(abspath $(BIN))/python npm run --silent openapi && npm run --silent generate
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content --admin --site 127.0.0.1:8000
	export MMM_NEXT_URL=http://127.0.0.1:3000 MMM_WEBHOOK_SECRET=$(DEMO_WEBHOOK_SECRET) NEXT_TELEMETRY_DISABLED=1 \
	  MMM_API_URL=http://127.0.0.1:8000/api/mmm/; \
	(cd example_project && exec ../$(BIN)/python manage.py runserver 127.0.0.1:8000) & django=$$!; \
	(cd example_project && exec ../$(BIN)/python manage.py db_worker >db_worker.log 2>&1) & worker=$$!; \
	trap 'kill $$django $$worker' EXIT; \
	until curl -fsS -o /dev/null $$MMM_API_URL; do sleep 1; done; \
	cd $(NEXT_DIR) && rm -rf .next && npx next build && \
	echo "Next.js: http://127.0.0.1:3000/  Admin: http://127.0.0.1:8000/admin/ (admin / admin)" && \
	npx next start -p 3000 -H 127.0.0.1

# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set (as on CI): pytest then keeps its
# rewritten test modules and every process a test starts (the test sites, runserver) the package's
# compiled modules, about 3 s less per worker and per process from the second run on.
test: venv
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto

# Only the browser tests (Debian's chromium); fail rather than skip without it.
browser-test: venv
	MMM_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -m browser

lint: venv
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/lint-imports --no-cache

docs: venv
	$(BIN)/python -m mkdocs build --strict

# Refresh the French translation of admin strings after changing them.
messages: venv
	cd mmm_wagtail && ../$(BIN)/django-admin makemessages -l fr --no-obsolete && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) build dist site *.egg-info example_project/db.sqlite3

# The demo site, then the demo WordPress export imported into it (docs/import.md); `make demo` is unchanged.
demo-import: venv
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content --admin --site 127.0.0.1:8000
	$(MANAGE) import_wordpress demo/wordpress/export.xml --no-input --uploads demo/wordpress/uploads \
		--delegation union-europeenne-fr=union-europeenne --delegation onu-fr=onu --delegation unesco-fr=unesco \
		--listing-url "/frontend/?tag={slug}"
