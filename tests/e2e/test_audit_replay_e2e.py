"""`make replay-audit` against the local stack: a stream batch whose audit entries are missing, reported in the
on-failure queue as Lambda reports it (coordinates only), is read again from the stream and recorded; replaying it
again changes nothing; a message whose records fail again stays in the queue."""

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.localstack import Stack
from tests.e2e.test_audit_e2e import ITEM, api, first_stream_record, wait_for_history

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "replay_audit.py"


def stream_position(stack: Stack, keys: dict[str, Any]) -> dict[str, str]:
    """The DDBStreamBatchInfo of the item's first record in the items table's stream."""
    stream_arn, shard_id, record = first_stream_record(stack, keys)
    sequence = str(record["dynamodb"]["SequenceNumber"])
    return {
        "shardId": shard_id,
        "startSequenceNumber": sequence,
        "endSequenceNumber": sequence,
        "batchSize": "1",
        "streamArn": stream_arn,
    }


def report_failure(stack: Stack, info: dict[str, str]) -> None:
    """What Lambda sends to the on-failure destination when a stream batch exhausts its retries."""
    body = {
        "requestContext": {"condition": "RetryAttemptsExhausted", "approximateInvokeCount": 6},
        "version": "1.0",
        "DDBStreamBatchInfo": info | {"batchSize": int(info["batchSize"])},
    }
    stack.client("sqs").send_message(QueueUrl=stack.outputs["AuditFailuresQueueUrl"], MessageBody=json.dumps(body))


def replay_audit(stack: Stack) -> subprocess.CompletedProcess[str]:
    outputs = stack.log_path.parent / "outputs.json"
    command = [sys.executable, str(SCRIPT), "--local", "--outputs", str(outputs)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_replay_records_a_lost_batch_once_and_keeps_what_fails_again(
    stack: Stack, token_for: Callable[[str], str]
) -> None:
    alice = token_for("alice")
    item_id = api(stack, alice, "POST", "/items", json=ITEM).json()["id"]
    wait_for_history(stack, alice, item_id, count=1)
    # The trail misses the item's creation, as if the audit function had given the record up.
    audit = stack.client("dynamodb")
    entries = audit.scan(
        TableName=stack.outputs["AuditTableName"],
        FilterExpression="itemId = :id",
        ExpressionAttributeValues={":id": {"S": item_id}},
    )["Items"]
    assert entries
    for entry in entries:
        audit.delete_item(TableName=stack.outputs["AuditTableName"], Key={"pk": entry["pk"], "sk": entry["sk"]})
    # The item exists: its history is empty until the replay brings the entry back (issue 19, defect 11), not 404.
    lost = api(stack, alice, "GET", f"/items/{item_id}/history")
    assert (lost.status_code, lost.json()["events"]) == (200, [])
    owner = entries[0]["owner"]["S"]  # the token's sub
    info = stream_position(stack, {"pk": {"S": f"OWNER#{owner}"}, "sk": {"S": f"ITEM#{item_id}"}})
    # And a poison record (no item key): the audit function fails it again on replay.
    poison = {"pk": {"S": f"OWNER#{uuid.uuid4()}"}, "sk": {"S": "ITEM#not-an-id"}, "entity": {"S": "Item"}}
    audit.put_item(TableName=stack.outputs["ItemsTableName"], Item=poison)
    report_failure(stack, info)
    report_failure(stack, stream_position(stack, {"pk": poison["pk"], "sk": poison["sk"]}))

    first = replay_audit(stack)
    history = wait_for_history(stack, alice, item_id, count=1)
    report_failure(stack, info)  # the same batch reported again: replaying it twice is harmless
    time.sleep(0.5)
    second = replay_audit(stack)

    assert first.returncode == 1, first.stderr  # the poison batch stays in the queue
    assert "1 failed batches replayed" in first.stdout, first.stdout + first.stderr
    assert "the audit function failed" in first.stderr
    assert [event["type"] for event in history] == ["INSERT"]
    assert "1 failed batches replayed" in second.stdout, second.stdout + second.stderr
    assert [event["type"] for event in wait_for_history(stack, alice, item_id, count=1)] == ["INSERT"]
