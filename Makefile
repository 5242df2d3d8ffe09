# Two entry points for a fresh machine: `make run` and `make test`. Both create .venv and install into it;
# `make test` also installs what the validators need (system packages, checkov in a venv of its own).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# checkov pins packages that clash with pytest and python-hcl2, so it lives in its own virtualenv.
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed

.PHONY: run test install deps catalog bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(CHECKOV_STAMP):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet checkov
	touch $(CHECKOV_STAMP)

install: $(STAMP)

# System packages the tests use (graphviz, chromium); installs only what is missing.
deps: $(STAMP) $(CHECKOV_STAMP)
	bash tools/system-deps.sh

run: $(STAMP)
	$(BIN)/archplan cost examples/drivopay.yaml

test: deps
	ARCHPLAN_CHECKOV=$(CURDIR)/$(CHECKOV_VENV)/bin/checkov $(BIN)/python -m pytest

# Rebuild the generated catalog files from ../shared/pricing (not needed to run or test).
catalog: $(STAMP)
	$(BIN)/python tools/build_catalog.py

bench: $(STAMP)
	$(BIN)/python benchmarks/cost.py
	$(BIN)/python benchmarks/check.py
	$(BIN)/python tests/claims_benchmark/score.py
	$(BIN)/python benchmarks/serve.py
	$(BIN)/python benchmarks/decide.py
	$(BIN)/python benchmarks/simulate.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .pytest_cache .hypothesis
