# One target per task; CI runs .ci/run, which uses the same commands.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install test lint typecheck check schema bench example

install:
	python3 -m venv $(VENV)
	$(PY) -m pip install -c constraints-cpu.txt -e ".[all]"

test:
	$(PY) -m pytest -q

lint:
	$(VENV)/bin/ruff check .

typecheck:
	$(VENV)/bin/mypy

check: lint typecheck test

schema:
	$(VENV)/bin/marginalia schema --output schema/settings.schema.json

example:
	$(VENV)/bin/marginalia lint examples/

bench:
	$(PY) bench/run_all.py
