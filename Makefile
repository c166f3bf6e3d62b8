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
SAM_TRANSLATOR_PIN := aws-sam-translator==1.115.0
SAM_TRANSLATOR := $(UV) run --no-project --with $(SAM_TRANSLATOR_PIN) python
# CDK (cdk/, README "Deploying with CDK"): its Python packages (about 440 MB) stay out of uv.lock, in their own
# environment with the translator (equivalence, cdk-nag on the expansions), and cfn-lint and pytest at uv.lock's
# versions. Node for jsii and the CDK CLI come from cdk/package.json (make cdk-node); without them, the PATH's node.
CDK_PINS := aws-cdk-lib==2.275.0 constructs==10.8.1 cdk-nag==3.0.2 pip==25.3
locked = $(shell sed -n '/^name = "$(1)"$$/{n;s/^version = "\(.*\)"/\1/p;}' uv.lock)
CDK_PYTHON := $(UV) run --no-project $(addprefix --with ,$(CDK_PINS) $(SAM_TRANSLATOR_PIN) \
	cfn-lint==$(call locked,cfn-lint) pytest==$(call locked,pytest)) python
CDK_NODE_BIN := cdk/node_modules/.bin/node
CDK_NODE = $(if $(wildcard $(CDK_NODE_BIN)),$(CURDIR)/$(CDK_NODE_BIN),node)
CDK_NODE_MODULES := cdk/node_modules/.package-lock.json
CDK_ENV = JSII_NODE=$(CDK_NODE)
CDK_CLI := cdk/node_modules/.bin/cdk
PYTEST := $(RUN) pytest

.PHONY: help uv install dev sam-local sam-local-ci token test lint typecheck unit integration static e2e e2e-crash \
        checkov build load bench bench-instructions fork fork-test deploy undeploy hooks browser bench-imports \
        bench-local-import redrive replay-audit destroy openapi requirements clean fuzz iam-report audit build-check restore-drill \
        verify cdk-node cdk-synth cdk-test cdk-diff cdk-deploy resource resource-remove

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

hooks: install ## Install the git pre-commit hook (.pre-commit-config.yaml: ruff, format, cfn-lint, openapi and lock drift)
	$(RUN) pre-commit install

dev: install ## Run the whole service locally (embedded AWS on moto + HTTP API on :3000)
	$(RUN) python -m devstack

sam-local: install ## sam local start-api on :3001 in your Docker; starts `make dev` for the AWS resources if needed
	UV=$(UV) scripts/sam_local.sh

sam-local-ci: uv ## CI only: the sam local check in a private Docker engine (see scripts/ci_sam_local.sh)
	UV=$(UV) scripts/ci_sam_local.sh

token: uv ## Print a bearer token for a local user (created on first use): make token USER=alice
	@$(RUN) python -m devstack.token $(USER) $(if $(OUTPUTS),--outputs $(OUTPUTS))

test: install lint typecheck static unit integration e2e fork-test checkov cdk-test build build-check load audit ## Every test and check, from nothing
	$(MAKE) --no-print-directory verify LOCAL=1

lint: uv ## ruff, formatting, the complexity gate (no function above 10), actionlint and zizmor on .github/, secrets
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) xenon --max-absolute B --max-modules B --max-average A src devstack cfn_rules scripts loadtests verify cdk/service
	$(RUN) actionlint
	$(RUN) zizmor --offline --quiet .github
	$(RUN) python scripts/secrets_baseline.py check

typecheck: uv ## mypy (strict on src/ and tests/)
	$(RUN) mypy src tests devstack cfn_rules loadtests verify

unit: uv ## Unit tests (sockets blocked)
	$(PYTEST) tests/unit tests/devstack -q

integration: uv ## moto tests; tables, queues and buckets come from template.yaml
	$(PYTEST) tests/integration -q

static: uv ## sam validate --lint, cfn-lint with the project's rules, generated files in sync with code and lock
	$(SAM) validate --lint
	$(PYTEST) tests/static -q

e2e: uv browser ## End-to-end over HTTP against the local stack (and Swagger UI in a headless Chromium)
	$(PYTEST) tests/e2e -q

iam-report: uv ## Per function: the permissions the last make e2e (or make dev) used, and those granted but never used
	$(RUN) python -m devstack.iam.report

e2e-crash: uv ## The crash test with the issue's 40,000-line import (make e2e runs it with 4,000 lines)
	E2E_CRASH_LINES=40000 $(PYTEST) tests/e2e/test_crash.py -q -s

fork: uv ## Re-brand this clone in place: make fork NAME=orders (stacks, project, namespace, titles; see FORKING.md)
	@test -n "$(NAME)" || { echo "usage: make fork NAME=<name>, e.g. make fork NAME=orders" >&2; exit 2; }
	$(RUN) python scripts/fork.py '$(NAME)'

# The fork and the scaffold each run the tiers of a copy of their own, single-threaded: side by side on two cores.
fork-test: uv ## A forked copy and a copy with a scaffolded resource (make resource) each pass lint, typecheck, static, unit, integration
	@log=$$(mktemp); \
	FORK_TEST_UV=$(UV) $(PYTEST) tests/fork/test_resource_scaffold.py -q > $$log 2>&1 & scaffold=$$!; \
	FORK_TEST_UV=$(UV) $(PYTEST) tests/fork/test_fork.py -q; forked=$$?; \
	wait $$scaffold; scaffolded=$$?; echo "tests/fork/test_resource_scaffold.py:"; cat $$log; rm -f $$log; \
	test $$forked -eq 0 && test $$scaffolded -eq 0

deploy: uv ## sam deploy the build, as CI does: make deploy CONFIG_ENV=default|prod [STACK=<name>] (docs/pipeline.md)
	$(SAM) deploy --config-env $(or $(CONFIG_ENV),default) $(if $(STACK),--stack-name $(STACK)) \
		--no-confirm-changeset --no-fail-on-empty-changeset \
		$(if $(ARTIFACTS_BUCKET),--no-resolve-s3 --s3-bucket $(ARTIFACTS_BUCKET) --s3-prefix $(or $(STACK),$(CONFIG_ENV))) \
		$(if $(CFN_ROLE_ARN),--role-arn $(CFN_ROLE_ARN))

undeploy: uv ## sam delete a stack: make undeploy STACK=<name> (preview stacks; dev and prod are protected)
	@test -n "$(STACK)" || { echo "usage: make undeploy STACK=<name>" >&2; exit 2; }
	$(SAM) delete --stack-name $(STACK) --no-prompts $(if $(ARTIFACTS_BUCKET),--s3-bucket $(ARTIFACTS_BUCKET) --s3-prefix $(STACK))

browser: ## Debian's Chromium for the browser test, with apt-get when missing (as root); else that test is skipped
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || \
	{ if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser test" >&2; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } \
			>/dev/null || echo "chromium could not be installed: the browser test will be skipped" >&2; \
	else echo "no chromium and no apt-get as root: the browser test will be skipped" >&2; fi; }

fuzz: uv ## Schemathesis on a local stack with openapi.json, longer than make test: make fuzz FUZZ_SECONDS=900
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),900) $(PYTEST) tests/e2e/test_contract_fuzz.py -q -s

checkov: uv ## checkov on the raw template and on its SAM expansion under every parameter set (scripts/parameter_sets.py)
	rm -rf .aws-sam/expanded
	$(SAM_TRANSLATOR) scripts/expand_template.py --matrix template.yaml .aws-sam/expanded
	BC_SKIP_MAPPING=TRUE $(CHECKOV) --quiet --compact --skip-download --framework cloudformation -f template.yaml \
		$$(printf -- '-f %s ' .aws-sam/expanded/*.json)
	BC_SKIP_MAPPING=TRUE $(CHECKOV) --quiet --compact --skip-download --framework cloudformation -f pipeline/template.yaml

cdk-node: ## Node 24 for jsii and the pinned CDK CLI into cdk/node_modules (npm ci; only the npm registry)
	npm ci --prefix cdk --no-audit --no-fund

# Once per lock; without npm, jsii runs on the PATH's node (and says so if that release is past its support).
$(CDK_NODE_MODULES): cdk/package.json cdk/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix cdk --no-audit --no-fund; \
	else echo "no npm: CDK runs on the PATH's node $$(node --version 2>/dev/null) (make cdk-node)" >&2; fi

cdk-synth: uv $(CDK_NODE_MODULES) ## Synthesize the CDK app (cdk/app.py) into .aws-sam/cdk/cdk.out without the CLI; prints the time it took
	cd cdk && time CDK_OUTDIR=$(CURDIR)/.aws-sam/cdk/cdk.out $(CDK_ENV) $(CDK_PYTHON) app.py

cdk-test: uv $(CDK_NODE_MODULES) ## The CDK app: synth with template validation, equivalence to template.yaml per parameter set, assets, cdk-nag
	$(CDK_ENV) $(CDK_PYTHON) -m pytest tests/cdk -q -p no:cacheprovider

cdk-diff: uv ## cdk diff against a deployed stack: make cdk-diff STACK=<name> [PARAMETERS="Stage=prod AlarmEmail=..."]
	@test -x $(CDK_CLI) || { echo "run make cdk-node first" >&2; exit 2; }
	cd cdk && $(CDK_ENV) $(CDK_NODE) $(CURDIR)/$(CDK_CLI) diff --app '$(CDK_PYTHON) app.py' $(if $(STACK),-c stackName=$(STACK))

cdk-deploy: uv ## cdk deploy: make cdk-deploy STACK=<name> [PARAMETERS="Stage=prod ..."] [ARTIFACTS_BUCKET= CFN_ROLE_ARN=]
	@test -x $(CDK_CLI) || { echo "run make cdk-node first" >&2; exit 2; }
	cd cdk && $(CDK_ENV) $(CDK_NODE) $(CURDIR)/$(CDK_CLI) deploy --app '$(CDK_PYTHON) app.py' $(if $(STACK),-c stackName=$(STACK)) \
		$(addprefix --parameters ,$(PARAMETERS)) $(if $(ARTIFACTS_BUCKET),-c artifactsBucket=$(ARTIFACTS_BUCKET)) \
		$(if $(CFN_ROLE_ARN),--role-arn $(CFN_ROLE_ARN)) --require-approval never

build: uv ## sam build (python3.13, arm64), precompile (Lambda cannot write .pyc), CycloneDX SBOM (.aws-sam/build/sbom.cdx.json)
	$(SAM) build
	$(RUN) python -m compileall -q -j 0 --invalidation-mode unchecked-hash .aws-sam/build
	$(RUN) python scripts/sbom.py .aws-sam/build

build-check: uv ## Tests on what make build made: its CycloneDX SBOM lists exactly the pinned runtime packages
	$(PYTEST) tests/build -q

load: uv ## Locust, thresholds, HTML report: local bounded run, or make load URL=<ApiUrl> TOKEN=<jwt> [PROFILE=spike]
	$(RUN) python -m loadtests $(if $(URL),--url '$(URL)' --profile $(or $(PROFILE),full),$(if $(PROFILE),--profile $(PROFILE))) \
		$(if $(USERS),--users $(USERS)) $(if $(DURATION),--duration $(DURATION))

audit: uv ## Known vulnerabilities (pip-audit): runtime packages fail unless accepted in audit-exceptions.toml
	UV=$(UV) $(RUN) python scripts/audit.py

bench: uv ## Cold start (import, first invocation) per TracingMode as ratios to boto3, warm overhead (per mode), artifact sizes
	$(RUN) python -m bench.cold_start
	$(RUN) python -m bench.warm
	$(RUN) python -m bench.warm_tracing
	$(RUN) python -m bench.artifacts

bench-instructions: uv ## Cold start, first invocation and warm overhead per TracingMode as instruction counts (valgrind), for comparing changes
	$(RUN) python -m bench.cold_start --instructions
	$(RUN) python -m bench.warm_tracing --instructions

bench-imports: uv ## Import and export of a 50 MB file through the worker: items/s and peak RSS (target <= 150 MB)
	$(RUN) python -m bench.imports

bench-local-import: uv ## A 100,000-line import through make dev with its AWS in its own process: lines/s per slice, peak RSS
	$(RUN) python -m bench.local_import

replay-audit: uv ## Replay the audit on-failure queue from the stream: make replay-audit STACK=<stack> (LOCAL=1 for make dev)
	$(RUN) python scripts/replay_audit.py $(if $(LOCAL),--local,--stack $(STACK))

verify: uv ## Contract tests, fuzz, smoke load on a stack: STACK=<name> | LOCAL=1 | URL= TOKEN= OTHER_TOKEN= [SMOKE=1|read]
	@test -n "$(STACK)$(LOCAL)$(URL)" || { echo "usage: make verify STACK=<name> | LOCAL=1 [OUTPUTS=<file>] | URL=<ApiUrl> TOKEN=<jwt> OTHER_TOKEN=<jwt>" >&2; exit 2; }
	$(RUN) python -m verify $(if $(LOCAL),--local $(if $(OUTPUTS),--outputs $(OUTPUTS)),$(if $(STACK),--stack $(STACK) $(if $(URL),--api-url '$(URL)'),--url '$(URL)')) \
		$(if $(SUITES),--suites $(SUITES)) $(if $(SMOKE),--smoke $(if $(filter read,$(SMOKE)),--smoke-read))

restore-drill: uv ## Rehearse the items table's point-in-time restore (docs/restore.md): STACK=<stack>, or LOCAL=1 for make dev
	@test -n "$(STACK)$(LOCAL)" || { echo "usage: make restore-drill STACK=<name> | LOCAL=1" >&2; exit 2; }
	$(RUN) python scripts/restore_drill.py $(if $(LOCAL),--local,--stack $(STACK))

redrive: uv ## Move a DLQ's messages back: make redrive QUEUE=ImportDeadLetterQueue STACK=<stack> (LOCAL=1 for make dev)
	$(RUN) python scripts/redrive.py $(QUEUE) $(if $(LOCAL),--local,--stack $(STACK))

destroy: uv ## Delete a dev or preview stack, emptying its versioned jobs bucket first: make destroy STACK=items-dev
	@test -n "$(STACK)" || { echo "usage: make destroy STACK=<name>" >&2; exit 2; }
	$(RUN) python scripts/destroy.py $(STACK)
	$(SAM) delete --stack-name $(STACK) --no-prompts $(if $(ARTIFACTS_BUCKET),--s3-bucket $(ARTIFACTS_BUCKET) --s3-prefix $(STACK))

resource: uv ## Scaffold an owned, versioned resource on the shared machinery: make resource NAME=customers (docs/resources.md)
	@test -n "$(NAME)" || { echo "usage: make resource NAME=<plural or singular>, e.g. make resource NAME=customers" >&2; exit 2; }
	@UV=$(UV) $(RUN) python scripts/resource.py add '$(NAME)'

resource-remove: uv ## Remove what make resource NAME=... generated and registered (a hand-edited registration is named)
	@test -n "$(NAME)" || { echo "usage: make resource-remove NAME=<name given to make resource>" >&2; exit 2; }
	@UV=$(UV) $(RUN) python scripts/resource.py remove '$(NAME)'

# No function runs in `make openapi`: TRACING_MODE=off only satisfies the check app.observability makes on import.
openapi: uv ## Regenerate openapi.json from the routes
	cd src && TRACING_MODE=off $(RUN) python -m app.api.openapi ../openapi.json

requirements: uv ## Regenerate layer/requirements.txt (the dependencies layer sam build installs) from uv.lock
	$(UV) export --frozen --no-dev --no-hashes --no-emit-project --no-header --no-annotate > layer/requirements.txt

clean: ## Remove build output and caches
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
