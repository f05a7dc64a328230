# Open ROSC: `make run` to try it, `make test` to test it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

STATIC_VENDOR := rosc/core/static/govuk/govuk-frontend.min.js
CSS := rosc/core/static/rosc/rosc.css

.PHONY: help setup run test test-fast lint format bench lock assets migrate demo chromium clean

help:
	@echo "make run    set up, migrate, load the Essex demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   set up (including Chromium) and run the whole suite"
	@echo "make lint   ruff and mypy;  make bench  benchmarks;  make lock  re-pin dependencies"

# --- Set-up ------------------------------------------------------------------
$(BIN)/.installed: requirements/dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC_VENDOR): node_modules/.installed
	@mkdir -p rosc/core/static/govuk rosc/core/static/vendor
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js rosc/core/static/govuk/
	cp node_modules/htmx.org/dist/htmx.min.js rosc/core/static/vendor/

$(CSS): node_modules/.installed $(wildcard rosc/core/scss/*.scss)
	npx sass --pkg-importer=node --no-source-map --style=compressed rosc/core/scss/rosc.scss $(CSS)

assets: $(STATIC_VENDOR) $(CSS)

setup: $(BIN)/.installed assets
	@mkdir -p var

migrate: setup
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py createcachetable

demo: migrate
	$(BIN)/python manage.py seed_demo --quiet-logins
	$(BIN)/python manage.py seed_directory
	$(BIN)/python manage.py seed_demo_areas

# --- Run ---------------------------------------------------------------------
run: export ROSC_DEMO ?= 1
run: demo
	$(BIN)/python manage.py collectstatic --no-input -v 0
	@$(BIN)/python manage.py seed_demo --logins-only
	@echo ""
	@echo "Open ROSC is starting on http://127.0.0.1:$(PORT) (web and task worker). Press Ctrl+C to stop."
	PORT=$(PORT) $(BIN)/honcho start -f Procfile.dev

# --- Test --------------------------------------------------------------------
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's Chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: setup chromium
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python bench/bench_directory.py --services $${BENCH_SERVICES:-50000}
	$(BIN)/python bench/bench_record.py
	$(BIN)/python bench/bench_allocation.py
	$(BIN)/python bench/bench_pathway.py
	$(BIN)/python bench/bench_matching.py
	$(BIN)/python bench/bench_checkins.py
	$(BIN)/python -m pytest bench --benchmark-only --benchmark-columns=min,median,mean,max,rounds -q

lock: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet pip-tools
	cd requirements && ../$(BIN)/pip-compile --quiet --strip-extras --no-header --output-file base.txt base.in
	cd requirements && ../$(BIN)/pip-compile --quiet --strip-extras --no-header --output-file dev.txt dev.in

clean:
	rm -rf $(VENV) node_modules staticfiles var rosc/core/static/govuk rosc/core/static/vendor $(CSS)
