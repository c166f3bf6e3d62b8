"""Event sources of a template copy (tests/e2e/fixtures) run locally with their settings and the time scale 0.05:
failed records reach their dead-letter destinations within a minute."""

import json
import time
import uuid
from typing import Any

import pytest

from tests.e2e.localstack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]
DEADLINE_SECONDS = 60


def wait_for_message(sqs: Any, queue_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages", [])
        if messages:
            return dict(messages[0])
    raise AssertionError(f"no message in {queue_url} after {DEADLINE_SECONDS} s")


def test_poison_message_moves_to_the_dead_letter_queue(fixture_stack: Stack) -> None:
    sqs = fixture_stack.client("sqs")
    body = f"poison-{uuid.uuid4()}"

    sqs.send_message(QueueUrl=fixture_stack.outputs["PoisonQueueUrl"], MessageBody=body)

    dead = wait_for_message(sqs, fixture_stack.outputs["PoisonDeadLetterQueueUrl"])
    assert dead["Body"] == body


def test_stream_record_that_keeps_failing_goes_to_on_failure_destination(fixture_stack: Stack) -> None:
    outputs = fixture_stack.outputs
    fixture_stack.client("dynamodb").put_item(TableName=outputs["StreamTableName"], Item={"pk": {"S": "poison"}})

    message = wait_for_message(fixture_stack.client("sqs"), outputs["StreamFailureQueueUrl"])

    failure = json.loads(message["Body"])
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["requestContext"]["approximateInvokeCount"] == 2  # MaximumRetryAttempts: 1
    assert failure["DDBStreamBatchInfo"]["streamArn"] == outputs["StreamArn"]
    assert failure["DDBStreamBatchInfo"]["batchSize"] == 1
