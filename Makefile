# On a fresh machine (Python 3.10+ and make):
#   make                   set up what a learner needs, then show your progress through the course
#   make setup-instructor  set up what an instructor needs to run a class (nbgrader, PostgreSQL, Dask)
#   make test              set up everything (instructor and test tools), then run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A learner gets JupyterLab and the site, not nbgrader: its JupyterLab menus and
# Validate button are for instructors. The dev extra adds nbgrader, the classroom tools and the test tools.
LEARNER_EXTRAS := notebooks,docs
LEARNER_STAMP := $(VENV)/.learner-stamp
# An instructor: the learner's tools plus nbgrader and PostgreSQL (classroom) and Dask (scale-out).
INSTRUCTOR_EXTRAS := $(LEARNER_EXTRAS),classroom,scale-out
INSTRUCTOR_STAMP := $(VENV)/.instructor-stamp
DEV_STAMP := $(VENV)/.dev-stamp

.DEFAULT_GOAL := run
.PHONY: run setup setup-instructor setup-dev test lint notebooks docs docs-build lab bench clean

$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(LEARNER_STAMP): pyproject.toml $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install --quiet -e ".[$(LEARNER_EXTRAS)]"
	touch $(LEARNER_STAMP)

$(INSTRUCTOR_STAMP): pyproject.toml $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install --quiet -e ".[$(INSTRUCTOR_EXTRAS)]"
	touch $(INSTRUCTOR_STAMP) $(LEARNER_STAMP)

# The dev install includes the instructor's and the learner's, so it counts as all three.
$(DEV_STAMP): pyproject.toml $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(DEV_STAMP) $(INSTRUCTOR_STAMP) $(LEARNER_STAMP)

setup: $(LEARNER_STAMP)

setup-instructor: $(INSTRUCTOR_STAMP)
	@$(BIN)/grader --version
	@echo "Ready. Next: source $(VENV)/bin/activate, then follow docs/guide/instructor.md (grader release ... --nbgrader)."

setup-dev: $(DEV_STAMP)

run: setup
	$(BIN)/grader progress

# Lint, format and types first (seconds), then the suite.
LINTED := grader lessons benchmarks

# One worker per core (at most 4), a test file per worker: a module's fixtures (a graded bank, a
# kernel, a browser) are built once, and one file's waits overlap another's work.
test: setup-dev lint
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

lint: setup-dev
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

notebooks: setup-dev
	$(BIN)/python -m grader.build_notebooks

docs: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

docs-build: setup
	$(BIN)/mkdocs build --strict

# JupyterLab on the exercises, served on this machine only (grader/lab.py says how);
# LAB_ARGS adds options (e.g. --no-browser).
lab: setup
	$(BIN)/python -m grader.lab $(LAB_ARGS)

bench: setup-dev
	$(BIN)/python benchmarks/grade_batch.py

clean:
	rm -rf $(VENV) site .pytest_cache
