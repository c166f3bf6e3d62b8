"""The local stack killed with SIGKILL in the middle of an import, then started again: the import completes with
every line imported exactly once.

Its AWS is a moto server of its own (python -m devstack.aws_server, AWS_ENDPOINT_URL), so the tables, queues and
the file outlive the stack, as AWS outlives a crashed Lambda. The message the killed worker held comes back after
its visibility timeout (1800 s, 36 s with --time-scale 0.02; while a run lasts, the poller keeps it invisible,
as the unscaled timeout would) and the restarted stack's worker carries on from the last committed chunk.
"""

import base64
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.token import token_for
from tests.e2e.jobs import finished, start_import, wait_for_import
from tests.e2e.localstack import Stack, start_aws, start_stack, stop_stack

# 4,000 lines keep `make test` bounded; `make e2e-crash` runs the 40,000 lines of the issue, and
# `make bench-local-import` a 100,000-line import (the local AWS no longer copies the table per transaction).
LINES = int(os.environ.get("E2E_CRASH_LINES", "4000"))
TIME_SCALE = "0.02"
KILL_AFTER_LINES = LINES // 4
PHASE_SECONDS = max(600, LINES // 25)  # each phase, even at 25 lines/s (a 2-core machine shared by many jobs)
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(2 * PHASE_SECONDS + 300)]


@pytest.fixture
def aws_endpoint(tmp_path: Path) -> Iterator[str]:
    process, endpoint = start_aws(tmp_path)
    yield endpoint
    stop_stack(process)


def owner_of(token: str) -> str:
    payload = token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


def stored_items(stack: Stack, owner: str) -> int:
    table = stack.outputs["ItemsTableName"]
    paginator = stack.client("dynamodb").get_paginator("query")
    pages = paginator.paginate(
        TableName=table,
        KeyConditionExpression="pk = :owner AND begins_with(sk, :item)",
        ExpressionAttributeValues={":owner": {"S": f"OWNER#{owner}"}, ":item": {"S": "ITEM#"}},
        Select="COUNT",
    )
    return sum(page["Count"] for page in pages)


def test_an_import_survives_the_stack_killed_in_its_middle(tmp_path: Path, aws_endpoint: str) -> None:
    started = time.monotonic()
    first = start_stack(tmp_path, "--time-scale", TIME_SCALE, aws_endpoint=aws_endpoint)
    token = token_for("crash-importer", first.outputs)
    import_id = start_import(first, token, LINES)
    before = wait_for_import(
        first,
        token,
        import_id,
        seconds=PHASE_SECONDS,
        until=lambda report: report.get("imported", 0) >= KILL_AFTER_LINES,
    )

    assert first.process is not None  # started here, not an endpoint given from outside
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait()
    killed_at = stored_items(first, owner_of(token))
    time.sleep(2)
    assert stored_items(first, owner_of(token)) == killed_at  # no environment outlived its stack and kept writing

    second = start_stack(tmp_path, "--time-scale", TIME_SCALE, aws_endpoint=aws_endpoint)
    try:
        report = wait_for_import(second, token, import_id, seconds=PHASE_SECONDS, until=finished)
        stored = stored_items(second, owner_of(token))
    finally:
        stop_stack(second.process)

    print(
        f"crash test: {LINES} lines, killed at {before['imported']} committed ({killed_at} stored), "
        f"completed {report['imported']} imported / {report['rejected']} rejected, {stored} items stored, "
        f"{time.monotonic() - started:.0f} s in all"
    )
    assert (report["status"], report["imported"], report["rejected"]) == ("COMPLETED", LINES, 0)
    assert stored == LINES  # item ids derive from (import, line): one item per line, none twice, none missing
