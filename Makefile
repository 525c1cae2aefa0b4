# Two commands for a new machine: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help run demo test test-pg check lint typecheck contracts unit e2e screenshots snapshots-update bench fuzz browser-check room-check clean

help:
	@echo "make run          installe puis lance ensap-tui sur sa base par défaut"
	@echo "make demo         lance le mode démonstration (base séparée)"
	@echo "make test         installe puis passe lint, types, contrats d'import et tous les tests"
	@echo "make test-pg      les tests PostgreSQL, à côté d'un serveur jetable (Debian, 127.0.0.1)"
	@echo "make screenshots  régénère les captures SVG de screenshots/"
	@echo "make bench        mesures de performance (BENCHMARKS.md)"
	@echo "make fuzz         longues campagnes Hypothesis"
	@echo "make browser-check  capture de la vue navigateur (screenshots/navigateur.png)"
	@echo "make room-check   deux postes de la salle de formation dans Chromium (screenshots/salle-poste-*.png)"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ensap-tui demande Python 3.11 ou plus récent")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/ensap-tui

demo: $(STAMP)
	$(BIN)/ensap-tui --demo

lint: $(DEV_STAMP)
	$(BIN)/ruff check ensap_tui tests scripts

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

contracts: $(DEV_STAMP)
	$(BIN)/lint-imports

unit: $(DEV_STAMP)
	$(BIN)/python -m pytest -q

check: lint typecheck contracts

test: check unit

# The PostgreSQL half of the suite beside a throw-away server: scripts/pg_test_server.sh installs
# Debian's postgresql when absent, runs initdb in a temporary folder, listens on 127.0.0.1 only,
# and stops the server by its process id at the end (.ci/run runs all of `make test` so).
test-pg: $(DEV_STAMP)
	bash scripts/pg_test_server.sh run -- $(BIN)/python -m pytest -q -m postgres

screenshots: $(DEV_STAMP)
	$(BIN)/python scripts/screenshots.py

snapshots-update: $(DEV_STAMP)
	$(BIN)/python -m pytest -q tests -k snapshot --snapshot-update

# The PostgreSQL sections need a server: the one ENSAP_TEST_POSTGRES names, else a throw-away one
# that scripts/pg_test_server.sh starts (and stops by its process id); BENCH_POSTGRES=non runs
# without, and BENCHMARKS.md then says the PostgreSQL figures were not measured.
bench: $(DEV_STAMP)
	@if [ -n "$$ENSAP_TEST_POSTGRES" ] || [ "$$BENCH_POSTGRES" = non ]; then \
		$(BIN)/python scripts/bench.py; \
	else \
		bash scripts/pg_test_server.sh run -- $(BIN)/python scripts/bench.py; \
	fi

# The long runs: Hypothesis' "fuzz" profile (tests/conftest.py), and the SIGKILL crash suite
# with ENSAP_CRASH_RUNS kills (tests/hardening/test_crash.py) instead of a handful.
fuzz: $(DEV_STAMP)
	HYPOTHESIS_PROFILE=fuzz ENSAP_CRASH_RUNS=60 $(BIN)/python -m pytest -q tests -k "hypothesis or property or stateful or crash"

# Serves the app on a free loopback port and takes screenshots/navigateur.png with headless
# Chromium (Debian's `chromium`, installed with apt-get when absent).
browser-check: $(DEV_STAMP)
	$(BIN)/python scripts/browser_check.py

# The training room in headless Chromium: two postes join `ensap-tui salle` through the join
# page, one registers and activates its space, the other's mailbox stays empty, the board shows
# both; writes screenshots/salle-poste-a.png and -b.png (scripts/room_check.py, docs/TESTING.md).
room-check: $(DEV_STAMP)
	$(BIN)/python scripts/room_check.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
