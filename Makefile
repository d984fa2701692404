# Ramstein: `make demo` and `make test` set a fresh machine up; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BENCH_POSTGRES ?=
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-8)

.PHONY: demo test lint serve bench fuzz install postgres system screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## demo: install, load the Washington 2024 dataset, print the fair shares, serve the dashboard
demo: install
	$(BIN)/ramstein load washington-2024
	@echo "Planning the air-defence match, the routes and the training (about 20 s)..."
	@$(BIN)/ramstein match >/dev/null && $(BIN)/ramstein route >/dev/null && $(BIN)/ramstein train >/dev/null
	$(BIN)/ramstein shares
	$(BIN)/ramstein serve --host 127.0.0.1 --port 8000

serve: install
	$(BIN)/ramstein serve

## postgres: Debian's postgresql package, which the tests' throwaway server runs on
postgres:
	@if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  echo "PostgreSQL found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else \
	  echo "PostgreSQL is missing: install Debian's postgresql package (sudo apt-get install postgresql)"; exit 1; \
	fi

## system: Debian packages the tests use: Chromium (browser tests), Pango and fonts (PDF reports)
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then \
	  echo "Chromium, Pango and fonts found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "Missing Debian packages: $$missing (sudo apt-get install $$missing)"; exit 1; \
	fi

## screenshots: each dashboard page at 1280x800 into docs/screenshots/
screenshots: install system
	$(BIN)/python -m tests.e2e.harness docs/screenshots
	$(BIN)/python -m tests.e2e.role_screens docs/screenshots

## test: install what the tests need (PostgreSQL, Chromium, Pango included) and run the whole suite
test: install postgres system
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-logo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

## bench: the planners' benchmarks, each beside its baselines, measured in the same run
bench: install
	$(BIN)/python -m bench.match --write docs/bench/match.md
	$(BIN)/python -m bench.route --write docs/bench/route.md
	$(BIN)/python -m bench.train --write docs/bench/train.md
	$(BIN)/python -m bench.ledger --write docs/bench/ledger.md $(if $(BENCH_POSTGRES),--postgres $(BENCH_POSTGRES))
	$(BIN)/python -m bench.kiel --write docs/bench/kiel.md
	$(BIN)/python -m bench.api_load --write docs/bench/api.md $(if $(BENCH_POSTGRES),--postgres $(BENCH_POSTGRES))
	$(BIN)/python -m bench.jobs --write docs/bench/jobs.md $(if $(BENCH_POSTGRES),--postgres $(BENCH_POSTGRES))

## fuzz: schemathesis against a live server, random data, coordinator and nation tokens, 10 min
## (not part of `make test`: CPU heavy; record the result in docs/benchmarks.md)
FUZZ_MINUTES ?= 10
fuzz: install
	$(BIN)/python -m bench.fuzz --minutes $(FUZZ_MINUTES)
