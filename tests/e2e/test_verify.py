"""`make verify` against a broken deployment, simulated by a proxy in front of the e2e stack: it fails naming the
suite and the route, and deletes its test users, items and the contract suite's jobs all the same. A target it
cannot verify is one line and exit 2, before anything is created."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.e2e.localstack import REPO_ROOT, Stack, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]
HOP_BY_HOP = {"connection", "transfer-encoding", "content-length", "content-encoding", "keep-alive"}


def broken_proxy(upstream: str, method: str, route_prefix: str, status: int) -> type[BaseHTTPRequestHandler]:
    """Forwards to upstream, but answers `status` to `method` on paths /items/<id> (a deployment broken there)."""

    class Proxy(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:  # quiet
            pass

        def forward(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            parts = self.path.split("?")[0].strip("/").split("/")
            if self.command == method and self.path.startswith(route_prefix) and len(parts) == 2:
                answer_status, answer_body, headers = status, json.dumps({"message": "broken"}).encode(), {}
            else:
                headers = {key: value for key, value in self.headers.items() if key.lower() != "host"}
                answer = requests.request(self.command, upstream + self.path, data=body, headers=headers, timeout=60)
                answer_status, answer_body = answer.status_code, answer.content
                headers = {key: value for key, value in answer.headers.items() if key.lower() not in HOP_BY_HOP}
            self.send_response(answer_status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("content-length", str(len(answer_body)))
            self.end_headers()
            self.wfile.write(answer_body)

        do_GET = do_POST = do_PUT = do_DELETE = forward  # noqa: N815 - the names http.server calls

    return Proxy


@contextmanager
def proxy(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def outputs_file(stack: Stack, directory: Path, **changes: str) -> Path:
    path = directory / "outputs.json"
    path.write_text(json.dumps(stack.outputs | changes))
    return path


def verify(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "verify", "--local", *arguments]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=200)


def leftovers(stack: Stack) -> tuple[list[str], int]:
    """Verification users in the local pool, and items in the table (tombstones and creation records stay until
    their TTL: the API has no way to delete them, by design)."""
    users = stack.client("cognito-idp").list_users(UserPoolId=stack.outputs["UserPoolId"])["Users"]
    # An email pool names a user by its sub: the verification's users are known by their email.
    names = [
        user["Username"]
        for user in users
        if any(value.startswith("verify-") for value in [user["Username"], *(a["Value"] for a in user["Attributes"])])
    ]
    items = stack.client("dynamodb").scan(
        TableName=stack.outputs["ItemsTableName"],
        Select="COUNT",
        FilterExpression="entity = :item",
        ExpressionAttributeValues={":item": {"S": "Item"}},
    )["Count"]
    return names, items


@pytest.mark.parametrize(
    ("method", "status", "route"),
    [("GET", 500, "GET /items/{id} -> 500"), ("PUT", 401, "PUT /items/{id} -> 401")],
    ids=["a route answering 500", "a token rejected on one route"],
)
def test_a_broken_deployment_fails_naming_suite_and_route_and_leaves_nothing(
    stack: Stack, tmp_path: Path, method: str, status: int, route: str
) -> None:
    _, items_before = leftovers(stack)
    # The load runs last: its items exist only until the final clean-up, which the check below therefore sees.
    with proxy(broken_proxy(stack.base_url, method, "/items/", status)) as url:
        run = verify(
            "--outputs",
            str(outputs_file(stack, tmp_path)),
            "--api-url",
            url,
            "--suites",
            "contract,load",
            "--load-seconds",
            "5",
        )

    lines = run.stdout.splitlines()
    print(*[line for line in lines if line.startswith(("contract:", "load:", "verify "))], sep="\n")
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    assert any(line.startswith("contract: FAILED") and route in line for line in lines), lines[-5:]
    assert lines[-1].startswith("verify local")
    assert "FAILED (contract" in lines[-1]  # the load may or may not have hit the broken route in its 5 s
    assert leftovers(stack) == ([], items_before)


def job_leftovers(stack: Stack) -> tuple[set[str], set[str]]:
    """Every job record in the items table (pk/sk), and every current file under imports/ and exports/."""
    records = stack.client("dynamodb").scan(
        TableName=stack.outputs["ItemsTableName"],
        FilterExpression="entity IN (:import, :export)",
        ExpressionAttributeValues={":import": {"S": "Import"}, ":export": {"S": "Export"}},
        ConsistentRead=True,
    )["Items"]
    bucket = stack.outputs["JobsBucketName"]
    files = [
        entry["Key"]
        for prefix in ("imports/", "exports/")
        for entry in stack.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    ]
    return {f"{record['pk']['S']}/{record['sk']['S']}" for record in records}, set(files)


def test_a_failed_verification_deletes_the_jobs_its_contract_suite_created(stack: Stack, tmp_path: Path) -> None:
    """The contract suite's import and export (finished or not when it stopped) go with their files: no job record
    and no job file is left that was not there before."""
    before = job_leftovers(stack)
    with proxy(broken_proxy(stack.base_url, "GET", "/items/", 500)) as url:
        run = verify("--outputs", str(outputs_file(stack, tmp_path)), "--api-url", url, "--suites", "contract")

    lines = run.stdout.splitlines()
    print(*[line for line in lines if line.startswith(("contract:", "cleanup:", "verify "))], sep="\n")
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    (summary,) = [line for line in lines if line.startswith("cleanup:")]
    assert int(summary.split(" and ")[1].split()[0]) >= 2, summary  # at least the import and the export
    assert "cleanup: FAILED" not in run.stderr, run.stderr[-3000:]
    assert job_leftovers(stack) == before


def test_the_jobs_the_fuzz_and_the_load_create_in_their_own_processes_are_deleted_too(
    stack: Stack, tmp_path: Path
) -> None:
    """Schemathesis and Locust run in processes of their own; what they create reaches the clean-up through the
    ledger file (verify/ledger.py), so no job record or file is left either."""
    before = job_leftovers(stack)
    arguments = ("--suites", "fuzz,load", "--fuzz-seconds", "10", "--load-seconds", "10", "--load-users", "2")

    run = verify("--outputs", str(outputs_file(stack, tmp_path)), *arguments)

    lines = run.stdout.splitlines()
    print(*[line for line in lines if line.startswith(("fuzz:", "load:", "cleanup:", "verify "))], sep="\n")
    assert run.returncode in (0, 1), run.stdout[-3000:] + run.stderr[-3000:]  # a verdict, not a crash
    (summary,) = [line for line in lines if line.startswith("cleanup:")]
    assert int(summary.split(" and ")[1].split()[0]) >= 1, summary  # the fuzz's POST /imports and /exports
    assert "cleanup: FAILED" not in run.stderr, run.stderr[-3000:]
    assert job_leftovers(stack) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"UserPoolId": "eu-west-1_nopool"}, "user pool eu-west-1_nopool cannot be administered by the caller"),
        ({"ApiUrl": "http://127.0.0.1:9"}, "the API at http://127.0.0.1:9 does not answer"),
    ],
    ids=["a pool it may not administer", "an API that does not answer"],
)
def test_a_target_it_cannot_verify_is_one_line_and_exit_2(
    stack: Stack, tmp_path: Path, changes: dict[str, str], message: str
) -> None:
    before = leftovers(stack)

    run = verify("--outputs", str(outputs_file(stack, tmp_path, **changes)))

    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [f"verify: {run.stderr.removeprefix('verify: ').strip()}"]
    assert message in run.stderr
    assert leftovers(stack) == before


def test_missing_outputs_and_unknown_stacks_are_one_line_and_exit_2(stack: Stack, tmp_path: Path) -> None:
    missing = verify("--outputs", str(tmp_path / "none.json"))
    environment = {"AWS_ENDPOINT_URL": stack.aws_endpoint, "AWS_DEFAULT_REGION": stack.outputs["Region"]}
    environment |= {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "PATH": ""}  # moto
    unknown = subprocess.run(
        [sys.executable, "-m", "verify", "--stack", "no-such-stack"],
        cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False, timeout=100,
    )  # fmt: skip

    assert (missing.returncode, missing.stderr.count("\n")) == (2, 1)
    assert "none.json is missing" in missing.stderr
    assert (unknown.returncode, unknown.stderr.count("\n")) == (2, 1), unknown.stderr
    assert "stack no-such-stack cannot be read" in unknown.stderr


def test_the_production_smoke_check_reads_as_a_test_user_it_then_deletes(stack: Stack, tmp_path: Path) -> None:
    before = leftovers(stack)

    run = verify("--outputs", str(outputs_file(stack, tmp_path)), "--smoke", "--smoke-read")

    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[0] == "smoke: passed, GET /health 200, GET /items 200 as a test user"
    assert leftovers(stack) == before
