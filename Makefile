# Two entry points for a fresh machine: `make run` and `make test`. Both create .venv and install into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install catalog bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/archplan cost examples/drivopay.yaml

test: $(STAMP)
	$(BIN)/python -m pytest

# Rebuild the generated catalog files from ../shared/pricing (not needed to run or test).
catalog: $(STAMP)
	$(BIN)/python tools/build_catalog.py

bench: $(STAMP)
	$(BIN)/python benchmarks/cost.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
