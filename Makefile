# Pregón: `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `PORT=8001 make run` when 8000 is taken.
PORT ?= 8000

.PHONY: run test lint checks format install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

# axe-core for the accessibility browser tests (package-lock.json pins it).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev node_modules/.package-lock.json

# Web UI and background worker on http://127.0.0.1:$(PORT) (SQLite under var/ unless
# DATABASE_URL is set). Plain HTTP on this machine; behind TLS set PREGON_HTTPS=true.
run: $(VENV)/.installed
	PREGON_HTTPS=$${PREGON_HTTPS:-false} $(BIN)/pregon serve --bind $${PREGON_BIND:-127.0.0.1:$(PORT)}

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Architecture and types (pyproject.toml): the app layers and import contracts
# (import-linter), no import inside a function without a reason, and mypy with
# django-stubs on services and selectors.
checks: install-dev
	$(BIN)/lint-imports
	@if grep -rnE --include='*.py' 'noqa:[A-Z0-9, ]*PLC0415[A-Z0-9, ]*$$' pregon; then \
		echo "Cada import dentro de una función dice por qué: # noqa: PLC0415 - motivo"; \
		exit 1; \
	fi
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Runs on SQLite, or on PostgreSQL when DATABASE_URL points there.
test: lint checks
	$(BIN)/pregon makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/static
