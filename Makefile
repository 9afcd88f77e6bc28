# PAR Studio — every target sets up its own virtual environment first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench lint demo dist clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,dist]"
	touch $(STAMP)

## Open PAR Studio on the demo department (built on the first run).
run: $(STAMP)
	$(BIN)/parstudio --demo

## Run the whole test suite (SQLite and a real PostgreSQL server the tests start themselves).
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

## Run the benchmarks and write bench/README.md's table.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

## ruff and mypy.
lint: $(STAMP)
	$(BIN)/ruff check parstudio tests migrations bench
	$(BIN)/ruff format --check parstudio tests migrations bench
	$(BIN)/mypy

## Build the self-contained application folder dist/parstudio/ and its archive (PyInstaller).
dist: $(STAMP)
	$(BIN)/python packaging/build_dist.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
