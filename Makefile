# The two commands of the README: `make run` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: run fleet test test-fleet test-fast lint install install-dev chromium migrate demo demo-code bench fuzz clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

## Browser tests drive Debian's chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests ..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium \
	    || echo "Could not install chromium: browser tests will fail. Install it, or run 'make test-fast'."; }

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

## Set up, migrate, load demo data, then run web (ASGI) + worker until Ctrl-C.
run: demo
	$(PY) manage.py runbackoffice --host $(HOST) --port $(PORT)

## The production shape on one machine: two web servers (ports 8001, 8002), a worker cluster of
## two processes, PostgreSQL and Redis as this machine has them, an S3 server (moto) for media.
## Ctrl-C stops everything. docs/fleet.md says how the pieces map onto hosts. moto (the S3 server)
## is a development requirement, hence install-dev.
FLEET_ARGS ?=
fleet: install-dev
	$(PY) manage.py runfleet $(FLEET_ARGS)

## Lint: ruff (real errors, unused imports, bug-prone patterns), then import-linter (the layers
## contract in .importlinter: site > reviews > orders > shopping | imports > catalog > users >
## notifications > core).
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

## The whole suite, browser tests included (after the lint).
test: lint chromium
	$(PY) -m pytest $(PYTEST_ARGS)

## The fleet tests: two web servers, two worker hosts, Redis and S3 as real processes on a fresh
## PostgreSQL database (needs PostgreSQL at 127.0.0.1:5432 and redis-server; about 3 minutes).
test-fleet: install-dev
	$(PY) -m pytest -m fleet -p no:randomly -s backoffice/tests/fleet $(PYTEST_ARGS)

## Everything but the browser tests.
test-fast: install-dev
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

## The demo staff's current two-factor code (their key is the demo's published one).
demo-code: install
	$(PY) manage.py demo_code

## The API fuzzed longer than `make test` does: FUZZ_EXAMPLES per operation and role (figures
## in docs/benchmarks.md#api-fuzzing); FUZZ_SEED=<n> for another reproducible set of examples.
FUZZ_EXAMPLES ?= 100
fuzz: install-dev
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest backoffice/tests/test_api_fuzz.py -p no:randomly $(PYTEST_ARGS)

## Benchmarks (not part of the test suite).
bench: install-dev
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles artifacts .pytest_cache
