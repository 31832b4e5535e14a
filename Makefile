# zhifa — make demo | make test | make bench | make check
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= var
DEMO_SCALE ?= 0.01
DEMO_DAYS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000
export ZHIFA_DATA_DIR ?= $(DEMO_DIR)
# the demo lives in its simulated days: the clock starts the morning after the last one, and runs on
export DEMO_FROM ?= 2022-03-01

.PHONY: demo test test-fast bench check venv venv-test assets system system-test servers-up servers-down clean demo-data serve lock

## Set-up pieces (idempotent)
system:
	bash scripts/setup_system.sh demo

system-test:
	bash scripts/setup_system.sh test

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e .

venv-test: $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e ".[dev,spark]"

assets:
	bash scripts/vendor_assets.sh

## The two commands of the README
demo: system venv assets demo-data serve

demo-data: export ZHIFA_CLOCK_START ?= $(shell date -d "$(DEMO_FROM) +$(DEMO_DAYS) days" +%Y-%m-%dT10:00:00+08:00)
demo-data:
	$(BIN)/zhifa init
	$(BIN)/zhifa users demo | tee $(DEMO_DIR)/demo_accounts.txt
	bash scripts/demo_pipeline.sh "$(DEMO_DIR)" "$(DEMO_DAYS)" "$(DEMO_SCALE)"

serve: export ZHIFA_CLOCK_START ?= $(shell date -d "$(DEMO_FROM) +$(DEMO_DAYS) days" +%Y-%m-%dT10:00:00+08:00)
serve:
	@echo "zhifa serving on http://$(HOST):$(PORT) (Ctrl-C to stop); demo accounts: $(DEMO_DIR)/demo_accounts.txt"
	@cat $(DEMO_DIR)/demo_accounts.txt 2>/dev/null || true
	$(BIN)/zhifa serve --host $(HOST) --port $(PORT)

test: system-test venv-test assets
	bash scripts/run_tests.sh

test-fast: venv-test
	$(BIN)/python -m pytest -q tests/unit

bench: system-test venv-test assets
	bash scripts/run_bench.sh

check: venv-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q tests/unit

servers-up:
	bash scripts/servers.sh start

servers-down:
	bash scripts/servers.sh stop

lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(DEMO_DIR) test-artifacts .pytest_cache
