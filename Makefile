# The platform's entry points. On a fresh machine with Python 3.11 and make:
#   make run    simulate the sources, materialize every asset, print a summary
#   make test   run the whole test suite
#   make ui     open the Dagster UI on http://127.0.0.1:3000
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.8
DATA_DIR ?= $(CURDIR)/data
SCALE ?= 0.001
PYTEST_ARGS ?=

.PHONY: install prepare run test ui lint format clean bench

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@touch $@

install: $(VENV)/.installed

# dbt's manifest is prepared here, never at import time (orchestration/dbt_assets.py).
prepare: install
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir .

run: prepare
	NDC_DATA_DIR=$(DATA_DIR) $(BIN)/ndc run --scale $(SCALE)

test: prepare
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

ui: prepare
	@mkdir -p $(DATA_DIR)/.dagster_home
	@test -f $(DATA_DIR)/.dagster_home/dagster.yaml || cp orchestration/dagster_instance.yaml $(DATA_DIR)/.dagster_home/dagster.yaml
	DAGSTER_HOME=$(DATA_DIR)/.dagster_home NDC_DATA_DIR=$(DATA_DIR) $(BIN)/dg dev --host 127.0.0.1 --port 3000

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

clean:
	rm -rf dbt_project/target dbt_project/logs .pytest_cache
