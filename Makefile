# Two commands on a fresh clone: `make serve` and `make test`. Both create .venv and install as needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install index serve test test-fast lint format check bench clean

# The CPU build of torch goes in first and pinned, so nothing later pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	$(BIN)/hrbot build

serve: $(STAMP)
	BOT_AUTO_BUILD=true $(BIN)/hrbot build
	BOT_AUTO_BUILD=true $(BIN)/hrbot serve

test: $(STAMP)
	$(BIN)/hrbot corpus check
	$(BIN)/pytest

test-fast: $(STAMP)
	$(BIN)/pytest -m "not integration and not browser and not redis"

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench scripts
	$(BIN)/ruff format --check bot tests bench scripts
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix bot tests bench scripts
	$(BIN)/ruff format bot tests bench scripts

check: lint test

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
