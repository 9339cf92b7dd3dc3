# Uppfölj: every install step lives here, so a fresh machine needs nothing by hand.
VENV := .venv
PY := $(VENV)/bin/python
UPPFOLJ := $(VENV)/bin/uppfolj
STAMP := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium

# Two processes (pytest-xdist) halve the suite's time on a 2-core machine; the long
# matrix tests are split into parts (shards) so both processes share them.
PYTEST_ARGS ?= -n auto --dist load

.PHONY: run run-postgres test test-postgres lint typecheck clean bench

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

var:
	mkdir -p var

# Browser tests drive Debian's chromium; Playwright's own browser download is not used.
$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

run: $(STAMP) | var
	$(UPPFOLJ) migrate --no-input
	$(UPPFOLJ) demo
	$(UPPFOLJ) runserver 127.0.0.1:8000

# The production server (gunicorn, whitenoise) on a throwaway PostgreSQL cluster in var/.
run-postgres: $(STAMP) | var
	bash scripts/run-postgres

test: $(STAMP) | $(CHROMIUM) var
	$(UPPFOLJ) makemigrations --check --dry-run
	$(VENV)/bin/ruff check uppfolj
	$(VENV)/bin/ruff format --check uppfolj
	$(VENV)/bin/mypy uppfolj
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The suite again on PostgreSQL, less the tests that check nothing of the database (the
# domain's plain Python, the browser's side, SQLite's own options: scripts/test-postgres).
test-postgres: $(STAMP) | var
	bash scripts/test-postgres $(PYTEST_ARGS)

# The benchmark suite (bench/README.md): a generated city of CASES cases on PostgreSQL.
CASES ?= 100000
SEED ?= 1
bench: $(STAMP) | var
	bash bench/run --cases $(CASES) --seed $(SEED)

lint: $(STAMP)
	$(VENV)/bin/ruff check uppfolj
	$(VENV)/bin/ruff format --check uppfolj

typecheck: $(STAMP)
	$(VENV)/bin/mypy uppfolj

clean:
	rm -rf $(VENV) var

# The load test (scripts/load): gunicorn and locust on loopback, on a throwaway database.
# Arguments: make load LOAD_ARGS="--users 50 --spawn-rate 10 --run-time 60s [--postgres]"
.PHONY: load
load: $(STAMP)
	$(PY) -m pip install --quiet -e '.[load]'
	bash scripts/load $(LOAD_ARGS)
