# studyapp: `make run` serves the app, `make test` runs `make lint` then every test (SQLite, then PostgreSQL + Redis).
# Both set themselves up from a fresh clone.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python >= 3.12 found: PATH, then pyenv's versions.
PYTHON312 := $(shell for p in python3.12 python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13; do \
	"$$p" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
AXE_VERSION := 4.14.1
AXE := .cache/npm/node_modules/axe-core/axe.min.js
PG_URL := postgres://studyapp:studyapp@127.0.0.1:5432/studyapp
REDIS_TEST_URL := redis://127.0.0.1:6379/0
PYTEST_ARGS ?=

.PHONY: help setup run test test-sqlite test-postgres lint services system-packages postgres redis check check-deploy bench pygments-css clean

help:
	@echo "make run    set up (venv, packages, migrations, content) and serve http://$(HOST):$(PORT)"
	@echo "make test   lint, set up, start what the tests need, run the suite on SQLite and on PostgreSQL"
	@echo "make lint   ruff (lint, import order, format) and mypy with django-stubs, as configured in pyproject.toml"

$(PY):
	@test -n "$(PYTHON312)" || { echo "Python 3.12 or newer is needed (python3.12 on PATH or in pyenv)"; exit 1; }
	"$(PYTHON312)" -m venv $(VENV)

# What the app needs to run: `make run` installs only this.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

# The test and lint tools (the [test] extra), on top: `make test` and `make lint` install them.
$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# collectstatic: with production settings (DJANGO_DEBUG=0) pages link the manifest's hashed names, and
# the server refuses to start without it (studyapp.E001); in development it only copies.
setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_content

# uvicorn (uvloop, httptools): measured against daphne, granian and hypercorn in docs/performance.md
# ("ASGI server: measured, not chosen by habit"). No lifespan (Django and Channels speak none); no
# proxy headers (the app's DJANGO_TRUSTED_PROXY_COUNT is the one rule for client addresses, as under
# daphne); no per-message deflate, as measured (compressing each fan-out message per client costs CPU).
run: setup
	$(VENV)/bin/uvicorn --host $(HOST) --port $(PORT) --loop uvloop --http httptools --ws websockets-sansio \
		--lifespan off --no-proxy-headers --ws-per-message-deflate false studyapp.asgi:application

# --- what the tests need ---------------------------------------------------------------------
system-packages:
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

postgres:
	@pg_lsclusters -h 2>/dev/null | grep -q ' online' || pg_ctlcluster 15 main start
	@for i in $$(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done; \
		pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start: see /var/log/postgresql/"; exit 1; }
	@runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'studyapp'" | grep -q 1 || \
		runuser -u postgres -- psql -qc "CREATE ROLE studyapp LOGIN PASSWORD 'studyapp' CREATEDB"
	@runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'studyapp'" | grep -q 1 || \
		runuser -u postgres -- createdb -O studyapp studyapp

redis:
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no
	@for i in $$(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.25; done

$(AXE):
	npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@$(AXE_VERSION)

services: system-packages postgres redis $(AXE)

# lint first: it takes seconds and fails before anything is set up or started.
test: lint setup services
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# The browser tests run in a pytest process of their own: Playwright keeps an event loop running in
# the main thread, which other tests (async_to_sync, channels) must not meet.
PYTEST_RUN = $(PY) -m pytest -m "not browser" $(PYTEST_ARGS) && $(PY) -m pytest -m browser $(PYTEST_ARGS)

test-sqlite: $(VENV)/.installed-test system-packages $(AXE)
	@echo "=== test suite on SQLite (in-memory channel layer) ==="
	env -u DATABASE_URL -u REDIS_URL sh -c '$(PYTEST_RUN)'

test-postgres: $(VENV)/.installed-test services
	@echo "=== test suite on PostgreSQL, with Redis ==="
	env DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) sh -c '$(PYTEST_RUN)'

# --- lint: ruff and mypy, configured in pyproject.toml ----------------------------------------
lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# --- other chores ----------------------------------------------------------------------------
check: $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py load_content --check

# As a release runs it: collect the static files with production settings, then check.
check-deploy: $(VENV)/.installed
	export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
		DJANGO_ALLOWED_HOSTS=study.example.com; \
		$(PY) manage.py collectstatic --noinput -v0 && $(PY) manage.py check --deploy --fail-level WARNING

bench: setup
	$(PY) bench/load.py
	$(PY) bench/pages.py
	$(PY) bench/review.py
	$(PY) bench/quiz.py
	$(PY) bench/pricing.py
	$(PY) bench/load_learners.py

pygments-css: $(VENV)/.installed
	$(PY) -c 'from studyapp.content.parsing.markup import pygments_css; print(pygments_css(), end="")' > static/css/pygments.css

clean:
	rm -rf $(VENV) .cache staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm .pytest_cache
