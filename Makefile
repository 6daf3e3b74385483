# Two commands on a fresh clone: `make serve` and `make test`. Both create .venv and install as needed.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
K8S := $(wildcard deploy/k8s/*.yaml)
# The Kubernetes release whose schemas the manifests are checked against (kubernetes-validate ships them).
K8S_VERSION := 1.33.0

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install index serve test test-fast lint lint-deploy format check bench image-check clean

# Python 3.11 is checked before anything is downloaded. Then the CPU build of torch goes in first and pinned
# (deploy/install-torch-cpu.sh), so nothing later pulls a multi-GB CUDA build; then the project with every extra.
$(STAMP): pyproject.toml deploy/install-torch-cpu.sh
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "hrbot needs Python 3.11; $(PYTHON) is $$($(PYTHON) -V 2>&1). Run: make PYTHON=/path/to/python3.11" >&2; \
	  exit 1; }
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  echo "$(VENV) was made with another Python: remove it (make clean) and run make again" >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	sh deploy/install-torch-cpu.sh $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	$(BIN)/hrbot build

serve: $(STAMP)
	BOT_AUTO_BUILD=true $(BIN)/hrbot build
	BOT_AUTO_BUILD=true $(BIN)/hrbot serve

# The real-model build (what `make index` does) runs first with both cores to itself: beside a test worker it took
# four times as long. Then two workers; the real-model tests reuse that build (tests/conftest.py keeps them in one
# worker, so a bare `pytest -n 2` over an empty data folder builds once, not twice in a race). The real corpus
# check is one of the tests (tests/corpus/test_check.py).
test: $(STAMP)
	$(BIN)/hrbot build
	$(BIN)/pytest -n 2

test-fast: $(STAMP)
	$(BIN)/pytest -m "not integration and not browser and not redis"

lint: $(STAMP) lint-deploy
	$(BIN)/ruff check bot tests bench scripts
	$(BIN)/ruff format --check bot tests bench scripts
	$(BIN)/mypy

# The Kubernetes manifests against the API schemas (strict: unknown fields fail), the compose file against the
# Compose specification, the Dockerfile and the shell scripts; every tool carries its schemas or binary, so
# this runs offline.
lint-deploy: $(STAMP)
	$(BIN)/kubernetes-validate --strict --kubernetes-version $(K8S_VERSION) $(K8S)
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec deploy/docker-compose.yml
	$(BIN)/hadolint Dockerfile
	$(BIN)/shellcheck deploy/*.sh .ci/run

format: $(STAMP)
	$(BIN)/ruff check --fix bot tests bench scripts
	$(BIN)/ruff format bot tests bench scripts

check: lint test

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Builds the image with podman, runs its command as the image's user, asks a question (deploy/check-image.sh).
image-check:
	deploy/check-image.sh

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
