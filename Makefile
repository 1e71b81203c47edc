# Factbase: `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
export DATABASE_URL

.PHONY: scaleout run test install install-dev migrate load lint fmt migrations-check ci clean users backup restore serve-prod load-test bench bench-admin

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

## Serve on $(HOST):$(PORT) (PORT=, DATABASE_URL= override). runserver starts a thread per
## request, so a persistent connection would outlive its thread: one connection per request here.
run: load users
	@echo "Serving Factbase on http://$(HOST):$(PORT)/  (API: /api/v1/, docs: /api/v1/docs/, admin: /admin/)"
	CONN_MAX_AGE=0 $(PY) manage.py runserver $(HOST):$(PORT) --noreload

## Back up the whole database to backups/factbase-<UTC timestamp>.json (or FILE=…).
backup: migrate
	$(PY) manage.py backup $(if $(FILE),--output $(FILE),)

## Restore a backup into a freshly migrated database, all-or-nothing: make restore FILE=backups/….json
restore: migrate
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/factbase-….json"; exit 2; }
	$(PY) manage.py restore $(FILE)

## Production: gunicorn behind HTTPS. Needs FACTBASE_ENV=production, SECRET_KEY, ALLOWED_HOSTS
## (and DATABASE_URL for PostgreSQL). WORKERS= and THREADS= set the worker and thread counts
## (default 4 and 1); factbase/gunicorn.conf.py holds the rest, and `make bench` serves with it.
GUNICORN_CONF := factbase/gunicorn.conf.py
serve-prod: install
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(if $(WORKERS),WORKERS=$(WORKERS)) $(if $(THREADS),THREADS=$(THREADS)) \
		$(VENV)/bin/gunicorn --config $(GUNICORN_CONF) --bind $(HOST):$(PORT)

## Load test: gunicorn on PostgreSQL, 16 clients for 60 s; fails on any error or lost write.
load-test: install-dev
	$(PY) bench/load/run.py $(LOAD_ARGS)

## Side-by-side benchmark against Datasette and a bare WSGI floor (bench/run.py; results in
## bench/results/). BENCH_CLAIMS=1000000 for a million claims; BENCH_CLAIMS=10000,100000,1000000
## also prints the p50 growth. Datasette lives in its own venv, bench/.venv.
bench/.venv/.installed: bench/requirements.txt
	@test -x bench/.venv/bin/python || $(PYTHON) -m venv bench/.venv
	bench/.venv/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	@touch $@

bench: install bench/.venv/.installed
	$(PY) bench/run.py

## The admin benchmark (bench/admin.py): every admin screen, walked from the admin's registry,
## as a curator with the busiest objects, one request at a time; at 1,000,000 claims on SQLite
## and PostgreSQL by default (BENCH_CLAIMS=10000 for a quick run; BENCH_ADMIN_ARGS="--engines
## sqlite --only claim" and the like). It creates its users in the databases it measures.
bench-admin: install
	$(PY) bench/admin.py $(BENCH_ADMIN_ARGS)

## The scale-out drill (bench/scaleout.py): two gunicorn instances, a PostgreSQL primary and a
## real streaming replica, Redis and a Celery worker, all of its own, under load; then again
## with the replica killed half-way and with Redis killed half-way (SCALEOUT_ARGS="--fault none").
scaleout: install
	$(PY) bench/scaleout.py $(SCALEOUT_ARGS)

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
