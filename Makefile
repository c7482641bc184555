# Metodist: `make run` sets everything up and serves the demo; `make test` sets up and runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run setup install test test-pg test-browser lint format bench messages messages-update clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) -m metodist.core.i18n compile

setup: install messages
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo

run: setup
	@echo
	@echo "Metodist is at http://127.0.0.1:$(PORT)/"
	@echo "Demo logins (password metodist-demo): admin, methodist, marketer, mukur, volunteer"
	@echo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install messages
	bash scripts/system-deps.sh
	$(PY) -m pytest -n 2 -m "not browser" -q

test-pg: install messages
	bash scripts/system-deps.sh
	bash scripts/with-postgres.sh $(PY) -m pytest -n 2 -m "not browser" -q

test-browser: install messages
	bash scripts/browser-setup.sh
	$(PY) -m pytest -m browser -v -p no:xdist --durations=10

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m metodist.core.i18n check

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages-update: install
	bash scripts/system-deps.sh
	cd metodist && ../$(PY) ../manage.py makemessages -l ru -l kk -l en --no-obsolete
	$(PY) -m metodist.core.i18n tidy

bench: install messages
	$(PY) -m metodist.bench

clean:
	rm -rf $(VENV) var
