# Two commands on a fresh machine (Python 3.10+ and make):
#   make        set everything up, then show your progress through the course
#   make test   set everything up, then run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := run
.PHONY: run setup test notebooks docs docs-build lab bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/grader progress

test: setup
	$(BIN)/python -m pytest

notebooks: setup
	$(BIN)/python -m grader.notebooks

docs: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

docs-build: setup
	$(BIN)/mkdocs build --strict

# JupyterLab on the exercises, served on this machine only (grader/lab.py says how);
# LAB_ARGS adds options (e.g. --no-browser).
lab: setup
	$(BIN)/python -m grader.lab $(LAB_ARGS)

bench: setup
	$(BIN)/python benchmarks/grade_batch.py

clean:
	rm -rf $(VENV) site .pytest_cache
