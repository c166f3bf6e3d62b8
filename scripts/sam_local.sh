#!/usr/bin/env bash
# `make sam-local`: the API through `sam local start-api` on http://127.0.0.1:3001, in your own Docker with the real
# Lambda images (the arm64 functions run under emulation where Docker provides it, as Docker Desktop does).
# The AWS resources and the Cognito tokens come from `make dev`: if nothing answers on :3000 it is started here on
# 0.0.0.0 (containers reach it through host.docker.internal) and stopped on exit. samconfig.toml passes env.json and
# LocalAwsEndpointUrl, which is what makes the functions verify tokens themselves (sam local skips JWT authorizers).
# Extra arguments go to sam local start-api (e.g. --warm-containers LAZY, -d 5890).
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
SAM="$UV tool run --from aws-sam-cli==1.170.0 sam"
DEV_URL=http://127.0.0.1:3000
dev_pid=

stop_dev() { [[ -z $dev_pid ]] || kill -INT "$dev_pid" 2>/dev/null || true; }
trap stop_dev EXIT

docker info >/dev/null 2>&1 || { echo "sam local needs a running Docker engine (docker info fails)" >&2; exit 1; }
if curl -fs -o /dev/null "$DEV_URL/health"; then
    echo "Using the local stack already on $DEV_URL: it must listen on 0.0.0.0 (make dev DEVSTACK_HOST=0.0.0.0)" \
        "for containers to reach its AWS endpoint on :5000." >&2
else
    mkdir -p .aws-sam/local
    DEVSTACK_HOST=0.0.0.0 $UV run --frozen python -m devstack >.aws-sam/local/devstack.log 2>&1 &
    dev_pid=$!
    for _ in $(seq 60); do curl -fs -o /dev/null "$DEV_URL/health" && break; sleep 1; done
    curl -fs -o /dev/null "$DEV_URL/health" || { tail -n 20 .aws-sam/local/devstack.log >&2; exit 1; }
    echo "make dev started for the AWS resources (log: .aws-sam/local/devstack.log)" >&2
fi

$SAM build
echo "Tokens: TOKEN=\$(make -s token USER=alice); curl -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:3001/items" >&2
$SAM local start-api --port 3001 --add-host host.docker.internal:host-gateway "$@"
