PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check lint format catalogs clean

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

# The translation catalogs: extract every marked message, merge the new ones into
# each language's .po (the file a translator edits), compile the .mo that ships.
LOCALE := chainlead/locale
catalogs: $(STAMP)
	$(BIN)/pybabel -q extract -F $(LOCALE)/babel.cfg -k P_:1c,2 -k NP_:1c,2,3 -c i18n: --add-location=file \
		--sort-by-file --project=chainlead -o $(LOCALE)/chainlead.pot .
	$(BIN)/pybabel -q update -i $(LOCALE)/chainlead.pot -d $(LOCALE) -D chainlead \
		--no-fuzzy-matching --ignore-obsolete --width=100
	$(BIN)/pybabel -q compile -d $(LOCALE) -D chainlead --statistics

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm
