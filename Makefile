# Development tasks of the telephony.callcenter collection.
# `make help` lists the targets. Everything installs what it needs by itself:
# the tool chain goes into .venv, nox and antsibull-nox into .venv/nox (noxfile.py holds
# the sessions, their venvs go to build/nox), the collection is staged under build/.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
VENV_BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.requirements-installed
BUILD := $(CURDIR)/build
CALLCENTER_COLLECTIONS_PATH := $(BUILD)/collections
STAGED := $(CALLCENTER_COLLECTIONS_PATH)/ansible_collections/telephony/callcenter

export CALLCENTER_COLLECTIONS_PATH

# nox and antsibull-nox have their own venv: nox needs attrs>=24.1, galaxy-importer (installed
# into .venv by the packaging targets) attrs<24.
NOX_VENV := $(VENV)/nox
NOX_STAMP := $(NOX_VENV)/.requirements-installed
NOX := $(NOX_VENV)/bin/nox

# Run a command with the virtual environment's tools first on PATH.
WITH_VENV := PATH="$(VENV_BIN):$$PATH" VIRTUAL_ENV="$(VENV)"
# Lint against the staged collection, never against anything from Galaxy.
WITH_COLLECTION := ANSIBLE_COLLECTIONS_PATH="$(CALLCENTER_COLLECTIONS_PATH)"

.PHONY: help venv nox-venv stage sanity units simtest integration molecule \
	action-groups yamllint ansible-lint lint changelog-lint build test \
	demo demo-check simulator simulator-stop bench clean distclean

help: ## List the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

venv: $(VENV_STAMP) ## Create .venv and install requirements-dev.txt (only when they change)

$(VENV_STAMP): requirements-dev.txt $(wildcard requirements-simulator.txt)
	@test -f requirements-simulator.txt || { echo "ERROR: requirements-simulator.txt (included by requirements-dev.txt) is missing." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "ERROR: $(PYTHON) is older than Python 3.11, which ansible-core 2.19 needs." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# What `make demo` needs, and nothing of the development tool chain.
DEMO_STAMP := $(VENV)/.demo-requirements-installed

$(DEMO_STAMP): requirements-demo.txt requirements-simulator.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "ERROR: $(PYTHON) is older than Python 3.11, which ansible-core 2.19 needs." >&2; exit 1; }
	@echo "=== Installing what the demo needs (requirements-demo.txt: ansible-core, requests, the simulator's Flask) into .venv"
	@test -x $(VENV_BIN)/python || $(PYTHON) -m venv $(VENV)
	$(VENV_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-demo.txt
	@touch $@

nox-venv: $(NOX_STAMP) ## Create .venv/nox with the nox and antsibull-nox of requirements-nox.txt (only when it changes)

$(NOX_STAMP): requirements-nox.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "ERROR: $(PYTHON) is older than Python 3.11, which ansible-core 2.19 needs." >&2; exit 1; }
	$(PYTHON) -m venv $(NOX_VENV)
	$(NOX_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-nox.txt
	@touch $@

stage: ## Copy the collection to build/collections/ansible_collections/telephony/callcenter
	@scripts/stage-collection.sh $(CALLCENTER_COLLECTIONS_PATH) >/dev/null
	@echo "Staged collection: $(STAGED)"
	@echo "CALLCENTER_COLLECTIONS_PATH=$(CALLCENTER_COLLECTIONS_PATH)"

sanity: $(NOX_STAMP) ## nox -s sanity: ansible-test sanity --venv in antsibull-nox's copy of the collection (junit in build/reports/sanity)
	@scripts/ensure-shellcheck.sh
	$(NOX) -s sanity

units: $(NOX_STAMP) ## nox -s units: ansible-test units --venv in antsibull-nox's copy of the collection (junit in build/reports/units)
	$(NOX) -s units

# pytest writes the junit reports itself; CALLCENTER_COLLECTIONS_PATH (exported above) points
# the tests at the staged collection.
PYTEST := $(WITH_VENV) python -m pytest -p no:cacheprovider --durations=5

simtest: venv stage ## pytest tests/simulator (junit in build/reports/simulator.xml)
	$(PYTEST) tests/simulator --junitxml=$(BUILD)/reports/simulator.xml -o junit_suite_name=simulator

# Integration test modules run in parallel, one file per worker (each starts its own simulator).
INTEGRATION_WORKERS ?= 2

integration: venv stage ## pytest tests/integration against the staged collection, INTEGRATION_WORKERS in parallel (junit in build/reports/integration.xml)
	$(PYTEST) tests/integration -n $(INTEGRATION_WORKERS) --dist loadfile \
		--junitxml=$(BUILD)/reports/integration.xml -o junit_suite_name=integration

molecule: venv stage ## Molecule scenarios of the roles, each against its own simulator on 127.0.0.1:18181/18182 (junit in build/reports/molecule.xml)
	$(WITH_VENV) python scripts/run-molecule.py $(SCENARIO)

action-groups: $(NOX_STAMP) ## nox -s extra-checks: meta/runtime.yml action groups against plugins/modules and their doc fragments
	$(NOX) -s extra-checks

yamllint: venv ## yamllint the repository
	$(WITH_VENV) yamllint --strict .

ansible-lint: $(NOX_STAMP) ## nox -s ansible-lint: ansible-lint --offline, production profile, with antsibull-nox's copy of the collection
	$(NOX) -s ansible-lint

lint: action-groups yamllint ansible-lint ## action-groups, yamllint and ansible-lint

changelog-lint: venv ## antsibull-changelog lint
	$(WITH_VENV) antsibull-changelog lint

build: venv stage ## Build the collection tarball, install it into build/installed, render every module's doc
	$(WITH_VENV) scripts/build-collection.sh

# Center sizes: BENCH_AGENTS and BENCH_QUEUES, lists (spaces or commas) paired in order; a
# size without its queue count gets agents / 20 queues. BENCH_URI=none skips the uri run.
BENCH_AGENTS ?= 1000 10000
BENCH_QUEUES ?= 50 500
BENCH_URI ?= 200/10
# Milliseconds added to every API request (the first size runs once per value), and the
# max_concurrent_writes values to run them with ("default" is the collection's own).
BENCH_LATENCY ?= 0 20 100
BENCH_POOLS ?= default 10
# Sites of the many-sites part (benchmarks/sites.py: one simulator and one 1,000-agent center
# each, one play with forks = sites); 0 skips it.
BENCH_SITES ?= 10
BENCH_OUT := $(BUILD)/bench
BENCH_STAMP := $(VENV)/.bench-requirements-installed
# The bench stages its own copy, so that a `make stage` of another job cannot replace the
# collection under a running benchmark.
BENCH_COLLECTIONS := $(BENCH_OUT)/collections

$(BENCH_STAMP): requirements-bench.txt $(VENV_STAMP)
	$(VENV_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

bench: venv $(BENCH_STAMP) ## Print figures of whole centers (BENCH_AGENTS="1000 10000" BENCH_QUEUES="50 500", at 0/20/100 ms): deploy, no-op, RSS, uri; then BENCH_SITES=10 sites of 1,000 agents at once (0 skips); CSV and chart in build/bench
	@scripts/stage-collection.sh $(BENCH_COLLECTIONS) >/dev/null
	$(WITH_VENV) CALLCENTER_COLLECTIONS_PATH=$(BENCH_COLLECTIONS) python benchmarks/center.py \
		--agents "$(BENCH_AGENTS)" --queues "$(BENCH_QUEUES)" \
		--uri "$(BENCH_URI)" --latency "$(BENCH_LATENCY)" --pools "$(BENCH_POOLS)" \
		--out $(BENCH_OUT)
	$(if $(filter-out 0,$(BENCH_SITES)),$(WITH_VENV) CALLCENTER_COLLECTIONS_PATH=$(BENCH_COLLECTIONS) \
		python benchmarks/sites.py --sites $(BENCH_SITES) --out $(BENCH_OUT))

test: ## Run every stage above, then print a summary and "N passed, M failed"
	@MAKE="$(MAKE)" $(PYTHON) scripts/test-all.py

demo-check:
	@test -f playbooks/demo.yml || { echo "ERROR: playbooks/demo.yml does not exist yet, so there is no demo to run." >&2; exit 1; }

demo: demo-check $(DEMO_STAMP) ## Install what the demo needs, start the simulator in the background, run playbooks/demo.yml twice
	@echo "=== Staging the collection in build/collections"
	@scripts/stage-collection.sh $(CALLCENTER_COLLECTIONS_PATH) >/dev/null
	$(WITH_VENV) scripts/demo.sh

simulator: venv ## Run the simulator in the foreground (Ctrl-C stops it)
	$(WITH_VENV) python -m simulator

simulator-stop: ## Stop the simulator that `make demo` started
	@SIM_STATE_DIR=$(CURDIR)/build/simulator $(WITH_VENV) python -m simulator stop

clean: ## Remove build/ and test output
	rm -rf $(BUILD) tests/output

distclean: clean ## Also remove .venv
	rm -rf $(VENV)

# The documentation site: antsibull-docs and Sphinx, pinned in requirements-docs.txt, in their
# own venv .venv/docs. `make docs` writes build/docs/html; `make docs-test` builds it with no
# warning and opens its pages in headless Chromium (Debian's chromium, installed by
# scripts/ensure-chromium.sh when missing).
.PHONY: docs docs-venv docs-test

DOCS_VENV := $(VENV)/docs
DOCS_STAMP := $(DOCS_VENV)/.requirements-installed

docs-venv: $(DOCS_STAMP) ## Create .venv/docs with the antsibull-docs and Sphinx of requirements-docs.txt (only when it changes)

$(DOCS_STAMP): requirements-docs.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "ERROR: $(PYTHON) is older than Python 3.11, which ansible-core 2.19 needs." >&2; exit 1; }
	$(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-docs.txt
	@touch $@

docs: stage $(DOCS_STAMP) ## Build the documentation site (modules, roles, filter, playbooks, guides) into build/docs/html; fails on any warning
	PATH="$(DOCS_VENV)/bin:$$PATH" $(WITH_COLLECTION) scripts/build-docs.sh

docs-test: venv stage $(DOCS_STAMP) ## Build the site, lint the collection's docs, open the pages in headless Chromium (junit in build/reports/docs.xml)
	@scripts/ensure-chromium.sh
	@mkdir -p $(BUILD)/reports
	$(WITH_VENV) DOCS_VENV=$(DOCS_VENV) python -m pytest tests/packaging/test_docs.py -p no:cacheprovider --durations=3 \
		--junitxml=$(BUILD)/reports/docs.xml -o junit_suite_name=docs

# Packaging and AWX: galaxy-importer, ansible-builder and ansible-runner, pinned in
# requirements-packaging.txt and installed into .venv on top of requirements-dev.txt.
.PHONY: galaxy-import ee runner matrix

PACKAGING_STAMP := $(VENV)/.packaging-requirements-installed

$(PACKAGING_STAMP): requirements-packaging.txt $(VENV_STAMP)
	$(VENV_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-packaging.txt
	@touch $@

galaxy-import: venv stage $(PACKAGING_STAMP) ## Build the tarball and check it with galaxy-importer (ansible-lint on); fails on any ERROR or WARNING
	$(WITH_VENV) scripts/galaxy-import.sh

ee: venv stage $(PACKAGING_STAMP) ## ansible-builder introspect on the installed collection, create of extensions/ee (junit in build/reports/packaging-ee.xml)
	@mkdir -p $(BUILD)/reports
	$(WITH_VENV) python -m pytest tests/packaging/test_ee.py -p no:cacheprovider \
		--junitxml=$(BUILD)/reports/packaging-ee.xml -o junit_suite_name=packaging-ee

runner: venv stage $(PACKAGING_STAMP) ## AWX credential types, and playbooks/demo.yml through ansible-runner with their injected env (junit in build/reports/packaging-runner.xml)
	@mkdir -p $(BUILD)/reports
	$(WITH_VENV) python -m pytest tests/packaging/test_awx.py -p no:cacheprovider --durations=3 \
		--junitxml=$(BUILD)/reports/packaging-runner.xml -o junit_suite_name=packaging-runner

matrix: stage ## Smoke tests on ansible-core 2.17 (Python 3.11) and 2.21 (pyenv's 3.13), venvs in build/matrix (junit in build/reports/matrix-*.xml)
	PYTHON=$(PYTHON) scripts/matrix.sh
