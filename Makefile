# One-command set-up: `make run` (service with the seeds ingested) and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export LITELLM_LOCAL_MODEL_COST_MAP := True
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test bench clean

$(BIN)/careerkg: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test,llm]'
	touch $(BIN)/careerkg

# headless Chromium and its driver from Debian for the browser tests (tests/web); needs root
CHROMEDRIVER := /usr/bin/chromedriver

$(CHROMEDRIVER):
	@if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "no $(CHROMEDRIVER): run 'apt-get install -y chromium chromium-driver' as root (browser tests skip without it)"; fi

install: $(BIN)/careerkg $(CHROMEDRIVER)

run: install
	$(BIN)/careerkg ingest seeds
	$(BIN)/careerkg serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/graph.py
	$(BIN)/python bench/ask.py

clean:
	rm -rf data .pytest_cache
