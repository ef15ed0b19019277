# Quick start: `make demo` then `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AS_OF ?= 2026-11-24

.PHONY: demo test lint typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@mkdir -p build/demo
	@$(BIN)/rai-graph check --repo . --as-of $(AS_OF) --fail-on none | tee build/demo/check.txt
	@$(BIN)/rai-graph status --repo . --as-of $(AS_OF) --format json > build/demo/status.json
	@$(BIN)/rai-graph status --repo . --as-of $(AS_OF) --format markdown > build/demo/status.md
	@echo
	@echo "Outputs written to build/demo/: check.txt, status.json, status.md"

test: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
