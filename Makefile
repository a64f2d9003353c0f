# Souk: `make run` and `make test` are all a new machine needs (Python 3.11 and pip).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Every step of `make run` (and the worker and scheduler it starts) builds its links from PORT:
# SOUK_SITE_URL defaults to http://127.0.0.1:$(PORT) (souk/settings.py).
export PORT
MANAGE := $(BIN)/python manage.py

.PHONY: run test test-browser install install-dev translations lint format messages clean

# The sandbox processor and wallet (docs/payments.md) are on for the local server and the tests
# only; elsewhere SOUK_SANDBOX follows DEBUG unless set.
run test test-browser: export SOUK_SANDBOX ?= 1

# The server's own packages (requirements.lock); the tests and linters add
# requirements-dev.lock on top.
$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.lock
	$(BIN)/python -m pip install --quiet --requirement requirements-dev.lock
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

# Compiled catalogues (.mo) are built from the committed .po files with Babel: no gettext needed.
translations: install
	$(MANAGE) compile_translations

run: translations
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) seed_demo
	$(MANAGE) rebuild_search_index --if-stale
	PORT=$(PORT) exec ./scripts/serve.sh

test: translations install-dev
	$(BIN)/pytest

# The browser tests alone (also part of `make test`), with their measures printed; they drive
# Debian's chromium (/usr/bin/chromium) and are skipped, saying so, where it is missing.
# SOUK_SCREENSHOTS_DIR=docs/artisan-path refreshes the committed screenshots.
test-browser: translations install-dev
	$(BIN)/pytest -m browser -s -rs

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Developers only: refresh the .po catalogues from the code (needs GNU gettext's xgettext).
messages: install-dev
	$(MANAGE) makemessages --all --no-obsolete --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) var/static
