# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make demo   - the example site with the demo content on http://127.0.0.1:8000 (PORT=8123 for another)
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

.PHONY: demo test browser-test venv lint docs messages clean

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
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: venv
	$(BIN)/python -m pytest -n auto

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
