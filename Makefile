# Two entry points for a fresh machine: `make run` and `make test`. Both create .venv and install into it;
# `make test` also installs what the validators need (system packages, checkov in a venv of its own).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# checkov pins packages that clash with pytest and python-hcl2, so it lives in its own virtualenv.
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
# The google provider's schema for the generated Terraform's tests: the prebuilt CDKTF bindings of google
# provider 6.50.0 (versions.tf pins `~> 6.50.0`). Only its data files are read, so its jsii deps are not needed.
PROVIDER_SCHEMA := cdktf-cdktf-provider-google==16.12.1

.PHONY: run test install deps catalog bench fuzz clean

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps '$(PROVIDER_SCHEMA)'
	# numba compiles the simulation engine on first use (about 7 s of CPU) and caches it beside the source:
	# compile it here, once, not on the first `doc` or `simulate` a user runs.
	$(BIN)/archplan simulate examples/starter.yaml --days 1 --seeds 1 > /dev/null
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
	$(BIN)/python benchmarks/generate.py
	$(BIN)/python benchmarks/check.py
	$(BIN)/python tests/claims_benchmark/score.py
	$(BIN)/python benchmarks/serve.py
	$(BIN)/python benchmarks/decide.py
	$(BIN)/python benchmarks/simulate.py
	$(BIN)/python benchmarks/commands.py
	$(BIN)/python benchmarks/commands.py --users

# The long fuzz run (make test runs a bounded one): 10,000 hostile plans through every command, each a
# process forked from one that imported archplan once (tests/fuzz/forkserver.py); niced, the machine is shared.
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
fuzz: $(STAMP)
	nice -n 10 $(BIN)/python -m tests.fuzz.fuzzer --count 10000 --seed 1 --jobs $(FUZZ_JOBS)

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .pytest_cache .hypothesis
