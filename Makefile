# ToeSite: `make run` serves the site locally, `make test` runs the whole suite.
PYTHON ?= python3
# Python keeps compiled modules (and pytest its assertion-rewritten test modules) in __pycache__,
# git-ignored, even where the machine sets PYTHONDONTWRITEBYTECODE: without them every test process
# and every server a test starts compiles the whole project again (collection: 8.4 s, against 2.6 s).
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Local development values: DEBUG on, no secrets needed.
DEV_ENV := DJANGO_DEBUG=1 DJANGO_SITE_URL=http://$(HOST):$(PORT)
# Tests run with DEBUG off, as production does, with the values in pyproject.toml's pytest `env`
# list (pytest-env), so plain `.venv/bin/pytest` works too; the gate below reads the same list.
# The page cache is on in tests (one process, so the in-process cache is shared by everything).
# The test client speaks plain HTTP, so the HTTPS redirect is off; tests/test_security.py checks it.
TEST_ENV := $(shell sed -n '/^env = \[/,/^\]/s/^ *"D:\(.*\)",$$/\1/p' pyproject.toml | tr '\n' ' ')

# The deployment checklist runs with production values: a random key, HTTPS redirect on.
PRODUCTION_CHECK_ENV = DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') DJANGO_ALLOWED_HOSTS=toesite.example DJANGO_SITE_URL=https://toesite.example

.PHONY: run serve-cached test lint format check bench clean css

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_content
	$(DEV_ENV) $(BIN)/python manage.py load_glossary
	$(DEV_ENV) $(BIN)/python manage.py load_synonyms
	$(DEV_ENV) $(BIN)/python manage.py load_questionnaire
	$(DEV_ENV) $(BIN)/python manage.py ensure_local_editor --url http://$(HOST):$(PORT)/admin/
	@echo "ToeSite is at http://$(HOST):$(PORT)/ (press Ctrl+C to stop)"
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# As production runs, on one machine: Redis, gunicorn and Varnish in front, purged on every change
# (deploy/serve-cached.sh; installs varnish and varnish-modules when absent). Readers' address:
# http://127.0.0.1:$(CACHED_PORT)/. docs/scaling.md shows the layout for several servers.
CACHED_PORT ?= 8080
serve-cached: $(VENV)/.runtime
	CACHED_PORT=$(CACHED_PORT) deploy/serve-cached.sh

# The HTML validity test uses the Nu Html Checker from npm when npm is there; without it, it skips.
# Tests run in TEST_WORKERS processes (pytest-xdist), a whole test module to a process, so a module's
# seed is loaded once; each process has its own test database and Redis database (tests/conftest.py).
TEST_WORKERS ?= 2
test: $(VENV)/.dev
	@if command -v npm >/dev/null && { [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -x node_modules/.bin/purgecss ]; }; then \
		npm ci --no-audit --no-fund --ignore-scripts; fi
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The CI gate before the tests: lint, system checks, migrations in step with models, and the
# production static build (hashed, compressed files) that gunicorn + whitenoise serve.
check: lint
	$(TEST_ENV) $(BIN)/python manage.py check
	$(PRODUCTION_CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

clean:
	rm -rf $(VENV) staticfiles

# Back up the content and editor accounts to BACKUP (default backups/toesite-<date>-<time>.json), or
# load one into an empty database: README, "Backups". DATABASE_URL says which database. Where
# DJANGO_SECRET_KEY is set (a server) they run with that environment, elsewhere with the local values.
BACKUP_ENV = $(if $(DJANGO_SECRET_KEY),,$(DEV_ENV))
.PHONY: backup restore
backup: $(VENV)/.runtime
	$(BACKUP_ENV) $(BIN)/python manage.py backup $(BACKUP)

restore: $(VENV)/.runtime
	@[ -n "$(BACKUP)" ] || { echo "Say which backup to load: make restore BACKUP=backups/toesite-<date>-<time>.json"; exit 2; }
	$(BACKUP_ENV) $(BIN)/python manage.py restore $(BACKUP)

# Speed, written to bench/results.md: gunicorn + wrk ratios, page weights, a 60 s soak, matching.
bench: $(VENV)/.dev
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk"; exit 2; }
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python -m bench.bench

# The subset of Bootstrap the site uses (committed; tests/test_css_subset.py checks it is current).
# Rebuild it after adding a Bootstrap class to a template.
CRISPY_TEMPLATES = $(wildcard $(VENV)/lib/python3*/site-packages/crispy_bootstrap5/templates/bootstrap5)
CSS_OUT ?= static/vendor/bootstrap/subset/
css: $(VENV)/.dev
	@[ -x node_modules/.bin/purgecss ] || npm ci --no-audit --no-fund --ignore-scripts
	node_modules/.bin/purgecss --css static/vendor/bootstrap/bootstrap.min.css --variables --keyframes --font-face \
		--content 'templates/**/*.html' '$(CRISPY_TEMPLATES)/field.html' '$(CRISPY_TEMPLATES)/layout/*.html' \
		'static/js/*.js' 'static/css/site.css' --skippedContentGlobs 'templates/admin/**' 'templates/simple_history/**' --output $(CSS_OUT)
