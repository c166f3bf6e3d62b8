#!/usr/bin/env bash
# CI only, not for users' machines (it may apt-get install Docker and runs a private Docker engine as root; users
# run `make sam-local` with their own Docker). Proves that `sam local` serves the API with real tokens:
#   1. a Docker engine: the one DOCKER_HOST (or the default socket) names if it answers, else a private dockerd
#      (vfs storage, no iptables, its own roots and socket), with Debian's docker.io installed if missing;
#   2. the stand-in for public.ecr.aws/lambda/python:3.13-x86_64 (scripts/sam_local_image.sh), cached;
#   3. a copy of template.yaml for x86_64 and its code package;
#   4. `python -m devstack` on 0.0.0.0 for the AWS resources (moto) and the Cognito tokens, env.json for its port;
#   5. `sam local start-api`, a `make token` smoke request, then the e2e `contract` tests through it;
#   6. `sam local invoke` with every events/ file (tests/sam_local).
# Where no Docker engine can run, prints a SKIPPED line and exits 0; SAM_LOCAL_REQUIRED=1 makes that a failure.
set -euo pipefail
set -m  # background jobs in their own process groups, with SIGINT (a script's jobs otherwise ignore it)
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=${SAM_LOCAL_CACHE:-$ROOT/.tools/sam-local}
WORK=${SAM_LOCAL_WORK:-$ROOT/.aws-sam/sam-local}
UV=${UV:-$ROOT/.tools/uv-0.13.9/bin/uv}
export SAM_CLI="$UV tool run --from aws-sam-cli==1.170.0 sam"
export SAM_CLI_TELEMETRY=0
started=$SECONDS
pids=()

log() { echo "[sam local check +$((SECONDS - started)) s] $*" >&2; }
skip() {
    echo "SKIPPED: sam local check: $*"
    [[ ${SAM_LOCAL_REQUIRED:-0} != 1 ]] || exit 1
    exit 0
}
stop_group() {
    kill -INT -- "-$1" 2>/dev/null || return 0
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL -- "-$1" 2>/dev/null || true
}
cleanup() {  # newest first: sam, the local stack, then a private dockerd
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        stop_group "${pids[i]}"
        if [[ ${pids[i]} == "${sam_pid:-}" ]]; then  # warm containers sam had no time to remove
            docker ps -aq --filter ancestor=public.ecr.aws/lambda/python:3.13-rapid-x86_64 |
                xargs -r docker rm -f >/dev/null 2>&1 || true
        fi
    done
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'; }
wait_for() {  # wait_for SECONDS URL LOGFILE: until URL answers 200
    local deadline=$((SECONDS + $1))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "$2") == 200 ]]; do
        if ((SECONDS > deadline)); then tail -n 40 "$3" >&2; echo "$2 did not answer in $1 s" >&2; return 1; fi
        sleep 1
    done
}

engine() {
    local private=$CACHE/docker
    if docker info >/dev/null 2>&1; then return; fi
    export DOCKER_HOST=unix://$private/docker.sock
    if docker info >/dev/null 2>&1; then return; fi  # a private engine of an earlier run
    [[ $(uname -m) == x86_64 ]] || skip "the stand-in Lambda image is x86_64; this machine is $(uname -m)"
    [[ $(id -u) == 0 ]] || skip "no Docker engine answers and, not being root, this job cannot start one"
    if ! command -v dockerd >/dev/null; then
        log "installing Debian's docker.io"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap; } \
            >"$WORK/apt.log" 2>&1 || skip "cannot install docker.io: $(tail -n 1 "$WORK/apt.log")"
        log "docker.io installed"
    fi
    mkdir -p "$private/data"
    dockerd --storage-driver vfs --iptables=false --ip6tables=false --data-root "$private/data" \
        --exec-root /tmp/sam-local-docker --pidfile "$private/dockerd.pid" -H "$DOCKER_HOST" \
        >"$WORK/dockerd.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && return; sleep 1; done
    skip "dockerd does not start here: $(tail -n 1 "$WORK/dockerd.log")"
}

mkdir -p "$WORK" "$CACHE"
engine
log "Docker engine ${DOCKER_HOST:-default} ($(docker version --format '{{.Server.Version}}'))"
scripts/sam_local_image.sh "$CACHE"
log "image public.ecr.aws/lambda/python:3.13-x86_64 ready"

# The template for the engine's architecture, packaged as `sam build` would: the locked requirements for x86_64 in
# the dependencies layer's python/ folder, src/ as the functions' code; one uv call instead of one pip run.
rm -rf "$WORK/package" "$WORK/layer"
"$UV" pip install --quiet --target "$WORK/layer/python" --python-version 3.13 \
    --python-platform x86_64-manylinux_2_28 --only-binary :all: -r layer/requirements.txt
mkdir -p "$WORK/package" && cp -r src/app "$WORK/package/app"
# Globals Timeout too: a cold start in a vfs-backed engine on a busy 2-core runner can outlast the API functions'
# 10 s (sam local counts the init), and what is checked here is behaviour, not speed.
sed -e 's/^\(    Architectures: \)\[arm64\]$/\1[x86_64]/' -e 's|^\(    CodeUri: \)src/$|\1package/|' \
    -e 's/^\(    Timeout: \)10$/\160/' -e 's/^\(      BuildArchitecture: \)arm64$/\1x86_64/' \
    -e 's/^\(      CompatibleArchitectures: \)\[arm64\]$/\1[x86_64]/' template.yaml >"$WORK/template.yaml"
if grep -q arm64 "$WORK/template.yaml" || ! grep -q '^    CodeUri: package/$' "$WORK/template.yaml" ||
    ! grep -q '^    Timeout: 60$' "$WORK/template.yaml" || ! grep -q '^      ContentUri: layer/$' "$WORK/template.yaml"; then
    echo "template.yaml: expected Globals 'Architectures: [arm64]', 'CodeUri: src/', 'Timeout: 10' and the" \
        "dependencies layer at 'ContentUri: layer/' (arm64)" >&2
    exit 1
fi
log "template for x86_64, its code ($(du -sh "$WORK/package" | cut -f1)) and layer ($(du -sh "$WORK/layer" | cut -f1)) ready"

aws_port=$(free_port) dev_port=$(free_port) sam_port=$(free_port)
endpoint=http://host.docker.internal:$aws_port
env -u AWS_ENDPOINT_URL "$UV" run --frozen python -m devstack --host 0.0.0.0 --port "$dev_port" \
    --aws-port "$aws_port" --outputs "$WORK/outputs.json" >"$WORK/devstack.log" 2>&1 &
pids+=($!)
"$UV" run --frozen python -m devstack.envjson --endpoint "$endpoint" --output "$WORK/env.json" 2>/dev/null
wait_for 60 "http://127.0.0.1:$dev_port/health" "$WORK/devstack.log"
log "local stack: AWS on :$aws_port (containers: $endpoint), its own API on :$dev_port"

$SAM_CLI local start-api --template "$WORK/template.yaml" --port "$sam_port" --env-vars "$WORK/env.json" \
    --parameter-overrides "LocalAwsEndpointUrl=$endpoint" --add-host host.docker.internal:host-gateway \
    --skip-pull-image --warm-containers LAZY >"$WORK/sam-start-api.log" 2>&1 &
sam_pid=$!
pids+=("$sam_pid")
wait_for 600 "http://127.0.0.1:$sam_port/health" "$WORK/sam-start-api.log"
log "sam local start-api on :$sam_port answers /health"

token=$(make -s token USER=ci-smoke OUTPUTS="$WORK/outputs.json" | tail -n 1)
status=$(curl -s -o "$WORK/smoke.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$sam_port/items")
[[ $status == 200 ]] || { echo "GET /items with a make token token: $status $(cat "$WORK/smoke.json")" >&2; exit 1; }
log "GET /items with a make token token: 200"
# The first request to a function creates its container (seconds with the vfs storage driver): make them now, so
# that the tests' request timeouts measure the API, not container creation.
for route in "DELETE /items/warm-up" "GET /exports/warm-up"; do
    curl -s -o /dev/null --max-time 300 -X "${route% *}" -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$sam_port${route#* }"
done
log "containers of every API function started"

export E2E_BASE_URL=http://127.0.0.1:$sam_port E2E_OUTPUTS=$WORK/outputs.json E2E_FUNCTIONS_AWS_ENDPOINT=$endpoint
"$UV" run --frozen pytest tests/e2e -m contract -q -p no:cacheprovider
log "contract tests passed through sam local start-api"

export SAM_LOCAL_TEMPLATE=$WORK/template.yaml SAM_LOCAL_ENV_JSON=$WORK/env.json
export SAM_LOCAL_AWS_ENDPOINT=$endpoint SAM_LOCAL_HOST_ADDRESS=host-gateway
"$UV" run --frozen pytest tests/sam_local -q -p no:cacheprovider
log "every events/ file ran through sam local invoke"
echo "sam local check: passed in $((SECONDS - started)) s"
