# Everyday tasks. Run inside the virtual environment the README's second command makes (. .venv/bin/activate).
# `make` alone runs lint and test, as CI does (.ci/run also installs from nothing and runs the README's commands).
PYTHON ?= python

.PHONY: all test lint coverage bench docs fix

all: lint test

test:  ## the whole suite
	$(PYTHON) -m pytest

lint:  ## ruff check + ruff format --check + mypy strict + the import contracts
	ruff check kb tests bench
	ruff format --check kb tests bench
	mypy
	lint-imports

coverage:  ## the suite with line coverage of kb/, failing under the gate in pyproject.toml
	$(PYTHON) -m pytest --cov=kb --cov-report=term-missing:skip-covered

bench:  ## the benchmarks at their small sizes (see bench/README.md for the full runs)
	$(PYTHON) bench/bench_index.py --sizes 1000
	$(PYTHON) bench/bench_check.py --sizes 1000 --pages 200 --jobs 1 --repeat 1
	$(PYTHON) bench/bench_contradictions.py --sizes 1000 --pages 200
	$(PYTHON) bench/bench_faults.py --claims 1000 --kills 2 --cold-kills 1 --stamp-kills 1 --readers 2 --seconds 3
	$(PYTHON) bench/bench_commands.py --against HEAD~1

docs:  ## the README's promises: every rule documented, every command's help, the documented examples run
	$(PYTHON) -m pytest tests/cli/test_docs.py tests/cli/test_cases.py tests/cli/test_snapshots.py

fix:  ## apply ruff's fixes and formatting
	ruff check --fix kb tests bench
	ruff format kb tests bench
