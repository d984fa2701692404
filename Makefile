# Ramstein: `make demo` and `make test` set a fresh machine up; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BENCH_POSTGRES ?=
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-8)

.PHONY: demo test lint serve bench install postgres chromium screenshots clean

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

## chromium: Debian's Chromium, which the browser tests drive through Playwright
chromium:
	@if [ -x /usr/bin/chromium ]; then \
	  echo "Chromium found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "Chromium is missing: install Debian's chromium package (sudo apt-get install chromium)"; exit 1; \
	fi

## screenshots: each dashboard page at 1280x800 into docs/screenshots/
screenshots: install chromium
	$(BIN)/python -m tests.e2e.harness docs/screenshots

## test: install what the tests need (PostgreSQL and Chromium included) and run the whole suite
test: install postgres chromium
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

## bench: the planners' benchmarks, each beside its baselines, measured in the same run
bench: install
	$(BIN)/python -m bench.match --write docs/bench/match.md
	$(BIN)/python -m bench.route --write docs/bench/route.md
	$(BIN)/python -m bench.train --write docs/bench/train.md
	$(BIN)/python -m bench.api_load --write docs/bench/api.md $(if $(BENCH_POSTGRES),--postgres $(BENCH_POSTGRES))
