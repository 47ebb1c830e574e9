# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
# The suite runs on every core; a module's tests stay on one worker, so that
# they share the content it loads once (tests/conftest.py).
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest --numprocesses=$(TEST_WORKERS) --dist=loadfile

.DEFAULT_GOAL := help
.PHONY: help run dev backup restore test test-fast test-languages test-postgres check lint format messages compilemessages setup install install-dev clean export bench bench-render

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(BIN)/python:
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	@echo "==> Installing the site's dependencies"
	$(BIN)/pip install --quiet --disable-pip-version-check .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	@echo "==> Installing the test dependencies"
	$(BIN)/pip install --quiet --disable-pip-version-check ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

compilemessages: $(VENV)/.installed ## Compile the translation catalogues (.po -> .mo)
	@echo "==> Compiling translation catalogues"
	$(MANAGE) compile_catalogues

setup: install compilemessages
	@echo "==> Applying database migrations"
	$(MANAGE) migrate --no-input
	@echo "==> Loading the programmes' content"
	$(MANAGE) load_content
	@echo "==> Creating or updating the staff groups (Editors, Translators, Administrators)"
	$(MANAGE) sync_roles

run: setup ## Install, migrate, load the content and serve the site on 127.0.0.1:$(PORT)
	@echo "==> Collecting static files"
	$(MANAGE) collectstatic --no-input --verbosity 0
	@echo "==> Serving http://127.0.0.1:$(PORT)/ (DEBUG off). Stop with Ctrl+C."
	PORT=$(PORT) DJANGO_DEBUG=0 $(BIN)/gunicorn -c gunicorn.conf.py

export: setup ## Write the public site as static files into var/export/ (DIR=..., BASE_URL=https://...)
	@echo "==> Collecting static files"
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(MANAGE) export_site "$(or $(DIR),var/export)" $(if $(BASE_URL),--base-url "$(BASE_URL)")

bench: setup ## Measure the site with wrk (bench/run.py); with SIZE=2000, its cost as content grows (bench/growth.py)
ifdef SIZE
	$(BIN)/python -m bench.growth $(SIZE)
else
	@echo "==> Collecting static files"
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(BIN)/python -m bench.run
endif

bench-render: setup ## CPU per uncached render, in one process (bench/render.py)
	$(BIN)/python -m bench.render

dev: setup ## The same with Django's development server and DEBUG on
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

backup: install ## Back up the database and uploaded files into var/backups/ (or OUTPUT=file)
	$(MANAGE) backup_site $(if $(OUTPUT),--output "$(OUTPUT)")

restore: install ## Replace the database and uploaded files with FILE=var/backups/<archive>
	@test -n "$(FILE)" || { echo "Name the archive: make restore FILE=var/backups/backup-<date>.tar.gz"; exit 2; }
	$(MANAGE) restore_site "$(FILE)"

check-links: install ## Check the addresses the site cites (manage.py check_links); schedule it weekly: docs/operations.md#scheduled-tasks
	$(MANAGE) check_links

A11Y_TOOLS := tools/a11y/node_modules/.package-lock.json

$(A11Y_TOOLS): tools/a11y/package.json tools/a11y/package-lock.json
	@if command -v npm >/dev/null; then \
		echo "==> Installing axe-core and the Nu HTML Checker (npm)"; \
		npm ci --prefix tools/a11y --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm is missing: the accessibility and HTML audits will be skipped (apt-get install npm)"; \
	fi

test: $(VENV)/.installed-dev compilemessages $(A11Y_TOOLS) ## Install the test dependencies and run every test
	@echo "==> Running the tests on every core (browser tests need Debian's chromium)"
	$(PYTEST)

test-fast: $(VENV)/.installed-dev compilemessages ## Every test but the slow ones (servers, browsers, the HTML checker)
	@echo "==> Running the tests not marked slow"
	$(PYTEST) -m "not slow"

test-languages: $(VENV)/.installed-dev compilemessages ## tests/test_languages.py with Spanish and Arabic configured too, untranslated (CI runs it)
	@echo "==> Running tests/test_languages.py with French, English, Spanish and Arabic"
	DJANGO_LANGUAGES=fr,en,es,ar $(PYTEST) --no-migrations tests/test_languages.py tests/browser/test_right_to_left.py

$(VENV)/.installed-postgres: $(VENV)/.installed-dev pyproject.toml
	@echo "==> Installing the PostgreSQL driver"
	$(BIN)/pip install --quiet --disable-pip-version-check ".[dev,postgres]"
	@touch $@

test-postgres: $(VENV)/.installed-postgres compilemessages ## The tests that use the database (browser ones aside) on PostgreSQL at $$DATABASE_URL
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL=postgres://user@host:port/db first (.ci/run starts a throwaway server)."; exit 2; }
	@echo "==> Running the tests on PostgreSQL"
	$(PYTEST) --ignore=tests/browser --database-tests-only

check: $(VENV)/.installed-dev ## Lint, Django's checks and missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format: $(VENV)/.installed-dev ## Format the Python code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed ## Update every configured language's catalogue (locale/<code>/LC_MESSAGES/django.po) from the code
	$(MANAGE) update_catalogues

clean: ## Remove the virtual environment and the local data (database, uploads)
	rm -rf $(VENV) var
