# Quick start:  make run   (set up + run the whole pipeline on the bundled extracts)
#               make test  (set up + run the tests)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup secrets run test lint ui docs dashboards bench spark-test clean

# The dbt manifest is parsed here once, and again only when dbt/ changes (a fingerprint
# beside the manifest): the code location, `make ui` and every run then load it without parsing.
setup: $(STAMP)
	$(BIN)/crm-warehouse prepare-dbt

# Idempotent: rebuilt only when the lock file or pyproject change.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] in ((3, 11), (3, 12)), "Python 3.11 or 3.12 is required, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The pseudonym and erasure keys: data/secrets/*.key, made once by init-secrets (never
# overwritten), unless CRM_PSEUDONYM_KEY(_FILE) / CRM_ERASURE_KEY(_FILE) are already set.
SECRETS_DIR := data/secrets
SECRETS_ENV = $(if $(CRM_PSEUDONYM_KEY)$(CRM_PSEUDONYM_KEY_FILE),,CRM_PSEUDONYM_KEY_FILE=$(abspath $(SECRETS_DIR))/pseudonym.key) \
	$(if $(CRM_ERASURE_KEY)$(CRM_ERASURE_KEY_FILE),,CRM_ERASURE_KEY_FILE=$(abspath $(SECRETS_DIR))/erasure.key)

secrets: setup
	$(BIN)/crm-warehouse init-secrets --dir $(SECRETS_DIR)

run: secrets
	$(SECRETS_ENV) $(BIN)/crm-warehouse run

# Two workers (the machines have 2 cores); tests sharing a pipeline run stay on one worker.
test: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# ruff (check + format) and sqlfluff (dbt templater, house style in .sqlfluff) on the models.
# sqlfluff compiles every model with dbt: a private target folder and an empty warehouse file
# (nothing is read from it) keep it off the real warehouse and a running pipeline.
LINT_DIR ?= $(CURDIR)/data/lint
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p $(LINT_DIR)
	DBT_TARGET_PATH=$(LINT_DIR)/target CRM_WAREHOUSE_PATH=$(LINT_DIR)/lint.duckdb \
		$(BIN)/sqlfluff lint dbt/models --processes 2 --disable-progress-bar

ui: secrets
	$(SECRETS_ENV) $(BIN)/crm-warehouse ui

docs: setup
	$(BIN)/crm-warehouse dbt-docs

# The dashboards (dashboards/README.md): npm packages from the committed lock (again only when it
# changes), a static build over the published Parquet marts (CRM_PUBLISHED_PARQUET_DIR, default
# data/published/parquet; relative paths from here), served on http://127.0.0.1:$(DASHBOARDS_PORT)/.
DASHBOARDS_PORT ?= 3000

dashboards/node_modules/.package-lock.json: dashboards/package-lock.json dashboards/package.json
	npm ci --prefix dashboards --no-audit --no-fund
	touch $@

dashboards: dashboards/node_modules/.package-lock.json
	npm run --prefix dashboards build
	CRM_DASHBOARDS_PORT=$(DASHBOARDS_PORT) npm run --prefix dashboards serve

bench: setup
	$(BIN)/python benchmarks/raw_load.py
	$(BIN)/python benchmarks/identity_resolution.py
	$(BIN)/python benchmarks/incremental_run.py
	$(BIN)/python benchmarks/predictive_clv.py
	$(BIN)/python benchmarks/sentiment_eval.py
	$(BIN)/python benchmarks/lead_scoring_auc.py

# The dbt project on Spark (DEVELOPERS.md, "dbt on Spark"; needs Java 17 on PATH): a virtualenv from
# requirements-spark.lock (again only when it changes), the pipeline on the bundled extracts into a
# warehouse of its own under SPARK_TEST_DIR, then benchmarks/spark_parity.py: every mart built on a local
# Spark session equals DuckDB's, the dbt unit tests pass on Spark, and an incremental run on Spark equals
# a full refresh. Fails on any difference. CPU-heavy (local[2]); one Spark process at a time per folder.
SPARK_VENV ?= data/spark-venv
SPARK_TEST_DIR ?= $(CURDIR)/data/spark-test

$(SPARK_VENV)/.installed: requirements-spark.lock
	@command -v java >/dev/null || { echo "spark-test needs Java 17 (no java on PATH)"; exit 1; }
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SPARK_VENV)/bin/python -m pip install --quiet -r requirements-spark.lock
	touch $@

spark-test: secrets $(SPARK_VENV)/.installed
	rm -rf $(SPARK_TEST_DIR)
	mkdir -p $(SPARK_TEST_DIR)
	$(SECRETS_ENV) CRM_WAREHOUSE_PATH=$(SPARK_TEST_DIR)/warehouse.duckdb CRM_LANDING_DIR=$(SPARK_TEST_DIR)/landing \
		DAGSTER_HOME=$(SPARK_TEST_DIR)/dagster_home CRM_PUBLISHED_PARQUET_DIR=off $(BIN)/crm-warehouse run
	$(SPARK_VENV)/bin/python benchmarks/spark_parity.py --warehouse $(SPARK_TEST_DIR)/warehouse.duckdb \
		--work-dir $(SPARK_TEST_DIR)/spark --incremental

clean:
	rm -rf data dbt/target dbt/logs
