# Uppfölj: every install step lives here, so a fresh machine needs nothing by hand.
VENV := .venv
PY := $(VENV)/bin/python
UPPFOLJ := $(VENV)/bin/uppfolj
STAMP := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium

.PHONY: run test test-postgres lint typecheck clean

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

test: $(STAMP) | $(CHROMIUM) var
	$(UPPFOLJ) makemigrations --check --dry-run
	$(VENV)/bin/ruff check uppfolj
	$(VENV)/bin/ruff format --check uppfolj
	$(VENV)/bin/mypy uppfolj
	$(VENV)/bin/pytest

test-postgres: $(STAMP) | var
	bash scripts/test-postgres

lint: $(STAMP)
	$(VENV)/bin/ruff check uppfolj
	$(VENV)/bin/ruff format --check uppfolj

typecheck: $(STAMP)
	$(VENV)/bin/mypy uppfolj

clean:
	rm -rf $(VENV) var
