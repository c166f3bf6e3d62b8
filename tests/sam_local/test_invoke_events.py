"""Every file in events/ through `sam local invoke`, in Docker, against the running local stack's moto.

Run by scripts/ci_sam_local.sh, which builds the template for the engine's architecture, starts the local stack
and names them in SAM_LOCAL_* variables; without them (any other pytest run) these tests are skipped.
"""

import json
import os
import shlex
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest

from app.adapters.dynamodb_audit import history_key
from app.adapters.item_stream import item_change
from devstack.template import REPO_ROOT, load_template

pytestmark = [
    pytest.mark.enable_socket,
    pytest.mark.timeout(1800),  # all invocations run in the first test's fixture
    pytest.mark.skipif("SAM_LOCAL_TEMPLATE" not in os.environ, reason="run by scripts/ci_sam_local.sh only"),
]
EVENTS = sorted((REPO_ROOT / "events").glob("*/*.json"))
# Two at a time (CI runners have 2 cores): each invocation creates its container, mostly disk copying with vfs.
PARALLEL_INVOCATIONS = 2


def function_for(event_file: Path) -> str:
    """The template's function for a sample: by route for API events, by handler module for the others."""
    template = load_template(region="us-east-1")
    event = json.loads(event_file.read_text())
    if "routeKey" in event:
        return next(route.function_id for route in template.routes() if route.route_key == event["routeKey"])
    module = f"app.handlers.{event_file.parent.name}"
    return next(fid for fid, function in template.functions().items() if function.handler.startswith(module + "."))


def sam_invoke(function_id: str, event_file: Path) -> subprocess.CompletedProcess[str]:
    environment = os.environ
    command = [
        *shlex.split(environment["SAM_CLI"]),
        "local",
        "invoke",
        function_id,
        "--template",
        environment["SAM_LOCAL_TEMPLATE"],
        "--event",
        str(event_file),
        "--env-vars",
        environment["SAM_LOCAL_ENV_JSON"],
        "--parameter-overrides",
        f"LocalAwsEndpointUrl={environment['SAM_LOCAL_AWS_ENDPOINT']}",
        "--add-host",
        f"host.docker.internal:{environment['SAM_LOCAL_HOST_ADDRESS']}",
        "--skip-pull-image",
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=REPO_ROOT)


def response_of(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr[-3000:]
    # The function's response is the last line on stdout; its logs and sam's notes go to stderr.
    response: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    assert "errorType" not in response, result.stderr[-3000:]
    return response


def audit_entries(record: dict[str, Any]) -> list[dict[str, Any]]:
    change = item_change(record)
    assert change is not None
    outputs = json.loads(Path(os.environ["E2E_OUTPUTS"]).read_text())
    client = boto3.client(
        "dynamodb",
        endpoint_url=outputs["AwsEndpointUrl"],
        region_name=outputs["Region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    key = {":pk": {"S": history_key(change.kind, change.owner, change.item_id)}}
    table = outputs["AuditTableName"]
    return client.query(TableName=table, KeyConditionExpression="pk = :pk", ExpressionAttributeValues=key)["Items"]


@pytest.fixture(scope="module")
def invocations() -> dict[Path, subprocess.CompletedProcess[str]]:
    with ThreadPoolExecutor(max_workers=PARALLEL_INVOCATIONS) as pool:
        futures = {path: pool.submit(sam_invoke, function_for(path), path) for path in EVENTS}
        return {path: future.result() for path, future in futures.items()}


@pytest.mark.parametrize("event_file", EVENTS, ids=[f"{path.parent.name}/{path.name}" for path in EVENTS])
def test_every_sample_event_runs_in_docker(invocations: dict[Path, Any], event_file: Path) -> None:
    response = response_of(invocations[event_file])

    if event_file.parent.name == "api":
        assert response["statusCode"] < 500, response
    else:
        assert "batchItemFailures" in response, response


def test_an_audited_insert_is_written_to_the_local_audit_table(invocations: dict[Path, Any]) -> None:
    event_file = REPO_ROOT / "events" / "audit" / "insert.json"
    item_records = [r for r in json.loads(event_file.read_text())["Records"] if item_change(r) is not None]

    response = response_of(invocations[event_file])

    assert response == {"batchItemFailures": []}
    assert item_records
    assert all(audit_entries(record) for record in item_records)
