# Every habit of the project is a target. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv is provisioned by the Makefile itself (pinned, into a git-ignored .tools/ folder) so that a machine with only
# git, make and Python 3.13 runs every target. Set UV=uv to use one of your own instead.
UV_VERSION := 0.13.9
PYTHON ?= python3.13
TOOLS := $(CURDIR)/.tools
UV ?= $(TOOLS)/uv-$(UV_VERSION)/bin/uv
# With an empty or read-only HOME, uv's caches and tool environments still need a home: keep them with the tools.
export UV_CACHE_DIR ?= $(TOOLS)/cache/uv
export UV_TOOL_DIR ?= $(TOOLS)/uv-tools
export UV_TOOL_BIN_DIR ?= $(TOOLS)/uv-tools/bin
export UV_PYTHON_INSTALL_DIR ?= $(TOOLS)/python
export UV_PYTHON_DOWNLOADS ?= never
export PIP_CACHE_DIR ?= $(TOOLS)/cache/pip
RUN := $(UV) run --frozen
# sam and checkov pin dependencies that clash with each other and with moto: each runs in its own tool environment.
SAM := $(UV) tool run --from aws-sam-cli==1.170.0 sam
CHECKOV := $(UV) tool run --from checkov==3.3.30 checkov
SAM_TRANSLATOR := $(UV) run --no-project --with aws-sam-translator==1.115.0 python
PYTEST := $(RUN) pytest

.PHONY: help uv install dev sam-local sam-local-ci token test lint typecheck unit integration static e2e checkov build \
        load bench bench-imports redrive openapi requirements clean fuzz

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(TOOLS)/uv-$(UV_VERSION)/bin/uv:
	@echo "Provisioning uv $(UV_VERSION) into .tools/" >&2
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
		--target $(TOOLS)/uv-$(UV_VERSION) uv==$(UV_VERSION)
	@$@ --version >&2

uv: $(if $(filter $(TOOLS)/%,$(UV)),$(UV)) ## Provision the pinned uv into .tools/ (the other targets do it first)

install: uv ## Create or update the environment from uv.lock
	$(UV) sync --frozen

dev: install ## Run the whole service locally (embedded AWS on moto + HTTP API on :3000)
	$(RUN) python -m devstack

sam-local: install ## sam local start-api on :3001 in your Docker; starts `make dev` for the AWS resources if needed
	UV=$(UV) scripts/sam_local.sh

sam-local-ci: uv ## CI only: the sam local check in a private Docker engine (see scripts/ci_sam_local.sh)
	UV=$(UV) scripts/ci_sam_local.sh

token: uv ## Print a bearer token for a local user (created on first use): make token USER=alice
	@$(RUN) python -m devstack.token $(USER) $(if $(OUTPUTS),--outputs $(OUTPUTS))

test: install lint typecheck static unit integration e2e checkov build load ## Every test and check, from nothing

lint: uv ## ruff, formatting and the complexity gate (no function above 10)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) xenon --max-absolute B --max-modules B --max-average A src devstack cfn_rules scripts

typecheck: uv ## mypy (strict on src/)
	$(RUN) mypy src devstack cfn_rules

unit: uv ## Unit tests (sockets blocked)
	$(PYTEST) tests/unit tests/devstack -q

integration: uv ## moto tests; tables, queues and buckets come from template.yaml
	$(PYTEST) tests/integration -q

static: uv ## sam validate --lint, cfn-lint with the project's rules, generated files in sync with code and lock
	$(SAM) validate --lint
	$(PYTEST) tests/static -q

e2e: uv ## End-to-end over HTTP against the local stack
	$(PYTEST) tests/e2e -q

fuzz: uv ## Schemathesis on a local stack with openapi.json, longer than make test: make fuzz FUZZ_SECONDS=900
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),900) $(PYTEST) tests/e2e/test_contract_fuzz.py -q -s

checkov: uv ## checkov on the raw and on the SAM-expanded template
	$(SAM_TRANSLATOR) scripts/expand_template.py template.yaml .aws-sam/expanded.json
	BC_SKIP_MAPPING=TRUE $(CHECKOV) --quiet --compact --skip-download --framework cloudformation -f template.yaml
	BC_SKIP_MAPPING=TRUE $(CHECKOV) --quiet --compact --skip-download --framework cloudformation -f .aws-sam/expanded.json

build: uv ## sam build (python3.13, arm64), then precompile the packages: Lambda cannot write .pyc at run time
	$(SAM) build
	$(RUN) python -m compileall -q -j 0 --invalidation-mode unchecked-hash .aws-sam/build

load: uv ## A bounded Locust run against a local stack it starts and stops
	$(RUN) python -m locustfiles.run

bench: uv ## Cold-start import ratios per function and warm overhead per invocation
	$(RUN) python -m bench.cold_start
	$(RUN) python -m bench.warm

bench-imports: uv ## Import and export of a 50 MB file through the worker: items/s and peak RSS (target <= 150 MB)
	$(RUN) python -m bench.imports

redrive: uv ## Move a DLQ's messages back: make redrive QUEUE=ImportDeadLetterQueue STACK=<stack> (LOCAL=1 for make dev)
	$(RUN) python scripts/redrive.py $(QUEUE) $(if $(LOCAL),--local,--stack $(STACK))

openapi: uv ## Regenerate openapi.json from the routes
	cd src && $(RUN) python -m app.api.openapi ../openapi.json

requirements: uv ## Regenerate src/requirements.txt (what sam build installs) from uv.lock
	$(UV) export --frozen --no-dev --no-hashes --no-emit-project --no-header > src/requirements.txt

clean: ## Remove build output and caches
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
