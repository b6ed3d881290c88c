# Two commands on a fresh machine:
#   make site   builds the example plan (content/) into output/
#   make test   runs the whole test suite, browser tests included
# Both install what they need themselves (a virtual environment in .venv; Chromium and the
# HTML/accessibility checkers for the tests).

VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: site test lint golden bench

# (re)installs when pyproject.toml changes; the marker is written only after a successful install
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

site: $(VENV)/.installed
	$(VENV)/bin/strategy build content

# ARGS go to pytest: make test ARGS="-k charts"
test: $(VENV)/.installed
	VENV=$(VENV) bash scripts/test $(ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy generator

# The benchmark of docs/performance.md (a few minutes; writes the figures into it): make bench
# ARGS go to bench/run.py instead: make bench ARGS="--size small"
bench: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(PY) bench/run.py $(or $(ARGS),--size full --out bench/out/figures.json --update-doc docs/performance.md \
		--profile bench/out/profile.txt)

# Regenerate the golden pages compared by tests/test_golden.py (review the diff before committing).
golden: $(VENV)/.installed
	$(PY) -m tests.golden_pages
