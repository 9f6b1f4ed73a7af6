PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/chainlead --db $(CURDIR)/demo.db demo --replace
	@echo "The printed report (A4 PDF; needs chromium and fonts-noto-cjk):" >&2
	@echo "  $(BIN)/chainlead --db $(CURDIR)/demo.db report monthly --lang zh --pdf demo-report.pdf" >&2

test: lint
	$(BIN)/python -m pytest -q

check: lint
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check chainlead tests benchmarks examples
	$(BIN)/ruff format --check chainlead tests benchmarks examples

format: $(STAMP)
	$(BIN)/ruff format chainlead tests benchmarks examples

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm
