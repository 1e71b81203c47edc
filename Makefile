# Factbase: `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
export DATABASE_URL

.PHONY: run test install install-dev migrate load lint fmt migrations-check ci clean users

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

migrate: install
	$(PY) manage.py migrate --noinput -v 0

## Load reference and seed fixtures (idempotent: natural keys, one verified transaction).
load: migrate
	$(PY) manage.py load_checked

users: migrate
	@$(PY) manage.py dev_users

## Serve on $(HOST):$(PORT) (PORT=, DATABASE_URL= override).
run: load users
	@echo "Serving Factbase on http://$(HOST):$(PORT)/  (API: /api/v1/, docs: /api/v1/docs/, admin: /admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

## The whole suite (SQLite by default; DATABASE_URL=postgres://… for PostgreSQL).
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install-dev
	$(PY) manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) .pytest_cache staticfiles artifacts
