"""The audit trail in the local stack: item writes over HTTP reach the audit function through the items table's
stream, the history appears within seconds, and a record that keeps failing ends in the on-failure queue."""

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.e2e.localstack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
DEADLINE_SECONDS = 15
FAILURE_DEADLINE_SECONDS = 60
ITEM = {"name": "Desk", "price": 120.5, "tags": ["office"]}


def api(stack: Stack, token: str, method: str, path: str, **options: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}", **options.pop("headers", {})}
    return requests.request(method, f"{stack.base_url}{path}", headers=headers, timeout=10, **options)


def wait_for_history(stack: Stack, token: str, item_id: str, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    events: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        response = api(stack, token, "GET", f"/items/{item_id}/history")
        if response.status_code == 200:
            events = response.json()["events"]
            if len(events) >= count:
                return events
        time.sleep(0.25)
    raise AssertionError(f"history of {item_id} has {len(events)} of {count} events after {DEADLINE_SECONDS} s")


@pytest.mark.contract
def test_history_appears_within_seconds_of_the_changes(stack: Stack, token_for: Callable[[str], str]) -> None:
    alice = token_for("alice")
    item_id = api(stack, alice, "POST", "/items", json=ITEM).json()["id"]
    for version, price in enumerate((99.5, 89.5), start=1):
        replaced = api(
            stack, alice, "PUT", f"/items/{item_id}", json=ITEM | {"price": price}, headers={"If-Match": f'"{version}"'}
        )
        assert replaced.status_code == 200
    assert api(stack, alice, "DELETE", f"/items/{item_id}").status_code == 204

    events = wait_for_history(stack, alice, item_id, count=4)

    assert [event["type"] for event in events] == ["REMOVE", "MODIFY", "MODIFY", "INSERT"]
    assert [event["changes"].get("price", {}).get("new") for event in events[1:3]] == [89.5, 99.5]
    assert api(stack, token_for("bob"), "GET", f"/items/{item_id}/history").status_code == 404


def wait_for_failure(stack: Stack, queue_url: str, sequence_number: str) -> dict[str, Any]:
    sqs = stack.client("sqs")
    deadline = time.monotonic() + FAILURE_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages", []):
            failure: dict[str, Any] = json.loads(message["Body"])
            if failure["DDBStreamBatchInfo"]["startSequenceNumber"] == sequence_number:
                return failure
    raise AssertionError(f"record {sequence_number} not in {queue_url} after {FAILURE_DEADLINE_SECONDS} s")


def test_a_poison_record_ends_in_the_on_failure_destination(stack: Stack) -> None:
    outputs = stack.outputs
    # An item whose key is no item key cannot be attributed to anyone: the audit function fails it every time.
    poison = {"pk": {"S": f"OWNER#{uuid.uuid4()}"}, "sk": {"S": "ITEM#not-an-id"}, "entity": {"S": "Item"}}
    stack.client("dynamodb").put_item(TableName=outputs["ItemsTableName"], Item=poison)
    sequence_number = poison_sequence_number(stack, poison)

    failure = wait_for_failure(stack, outputs["AuditFailuresQueueUrl"], sequence_number)

    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["DDBStreamBatchInfo"]["batchSize"] == 1
    assert failure["DDBStreamBatchInfo"]["endSequenceNumber"] == sequence_number


def poison_sequence_number(stack: Stack, poison: dict[str, Any]) -> str:
    """The poison record's sequence number, found in the items table's stream."""
    _, _, record = first_stream_record(stack, {"pk": poison["pk"], "sk": poison["sk"]})
    return str(record["dynamodb"]["SequenceNumber"])


def first_stream_record(stack: Stack, keys: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(stream ARN, shard id, record): the first record of the item with these keys in the items table's stream."""
    streams = stack.client("dynamodbstreams")
    stream_arn = streams.list_streams(TableName=stack.outputs["ItemsTableName"])["Streams"][0]["StreamArn"]
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            for record in page["Records"]:
                if record["dynamodb"]["Keys"] == keys:
                    return stream_arn, shard["ShardId"], record
            iterator = page.get("NextShardIterator") if page["Records"] else None
    raise AssertionError(f"no record of {keys} in the items table's stream")
