# The two commands a newcomer needs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
# Microsoft's Adaptive Cards renderer, for the test that draws the Teams cards in Chromium.
RENDERER := tests/e2e/renderer
RENDERER_STAMP := $(RENDERER)/node_modules/.package-lock.json

.PHONY: serve test lint typecheck unit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP) $@

serve: $(STAMP)
	$(BIN)/kompetencebot db upgrade
	$(BIN)/kompetencebot serve $(ARGS)

lint: $(DEVSTAMP)
	$(BIN)/ruff check bot catalog storage tests bench
	$(BIN)/ruff format --check bot catalog storage tests bench

typecheck: $(DEVSTAMP)
	$(BIN)/mypy

$(RENDERER_STAMP): $(RENDERER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(RENDERER) --no-audit --no-fund; \
	else \
		echo "npm not found: the Teams card rendering test will be skipped"; \
	fi

unit: $(DEVSTAMP) $(RENDERER_STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck unit

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
