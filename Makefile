# duo — the two commands of the README, and a few helpers.
# `make run`  : fresh clone -> running demo on http://127.0.0.1:5000 (SQLite, in-process jobs)
# `make test` : the whole suite (set DATABASE_URL / REDIS_URL to run it on PostgreSQL + Redis)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MO := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench install i18n i18n-extract i18n-update i18n-compile lint format browser-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) $(MO) browser-deps

# axe-core (package.json) for the accessibility checks of tests/browser, into node_modules/.
# Without npm, or offline, this only warns: the browser tests then skip and say why
# (under CI=true they fail). Chromium itself comes from the system (apt-get install chromium).
NODE_STAMP := node_modules/.installed

browser-deps: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "warning: npm not found: axe-core is not installed, browser tests will skip"; \
	elif npm ci --no-audit --no-fund --loglevel=error; then \
		touch $@; \
	else \
		echo "warning: npm ci failed: axe-core is not installed, browser tests will skip"; \
	fi

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d translations -l $*

i18n-compile: $(STAMP)
	$(BIN)/pybabel compile -d translations

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o translations/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

i18n: i18n-update i18n-compile

run: install
	$(BIN)/duo setup
	@echo ""
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(BIN)/duo run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m duo.consumers.bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance/duo.sqlite3 translations/*/LC_MESSAGES/*.mo
