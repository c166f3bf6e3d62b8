"""Item writes through the API on moto, their stream records fed to the audit function, the history read back
through the API: the whole audit path with its real wiring."""

import random
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.apigw import LambdaContext, json_body
from tests.support.streams import lambda_event, read_stream

Call = Callable[..., dict[str, Any]]
Handler = Callable[..., Any]
ITEM = {"name": "Desk", "description": "Oak", "price": 120.5, "tags": ["office"]}


@pytest.fixture
def stream_arn(names: dict[str, str]) -> str:
    return names["ItemsTable.StreamArn"]


def life_cycle(call: Call) -> str:
    """alice creates an item, replaces it twice and deletes it; returns its id."""
    item_id = str(json_body(call("POST", "/items", body=ITEM))["id"])
    updates = [ITEM | {"price": 99.5}, {"name": "Standing desk", "tags": []}]
    for version, update in enumerate(updates, start=1):
        assert call("PUT", f"/items/{item_id}", body=update, headers={"If-Match": f'"{version}"'})["statusCode"] == 200
    assert call("DELETE", f"/items/{item_id}", headers={"If-Match": '"3"'})["statusCode"] == 204
    return item_id


def item_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records about items; the rest (a delete's tombstone, job records) are not audited."""
    images = [record["dynamodb"].get("NewImage") or record["dynamodb"]["OldImage"] for record in records]
    return [record for record, image in zip(records, images, strict=True) if image["entity"]["S"] == "Item"]


def audit_entries(dynamodb: Any, names: dict[str, str]) -> list[dict[str, Any]]:
    return list(dynamodb.scan(TableName=names["AuditTable"])["Items"])


def test_history_of_a_full_life_cycle_is_complete_and_in_order(
    call: Call, audit_handler: Handler, stream_arn: str
) -> None:
    item_id = life_cycle(call)
    records = read_stream(stream_arn)

    assert audit_handler(lambda_event(records), LambdaContext()) == {"batchItemFailures": []}

    response = call("GET", f"/items/{item_id}/history")
    assert response["statusCode"] == 200
    events = json_body(response)["events"]
    assert [event["eventId"] for event in events] == [record["eventID"] for record in reversed(item_records(records))]
    assert [event["type"] for event in events] == ["REMOVE", "MODIFY", "MODIFY", "INSERT"]
    assert {event["actor"] for event in events} == {"alice"}
    removed, renamed, repriced, created = (event["changes"] for event in events)
    assert created == {field: {"old": None, "new": value} for field, value in ITEM.items()}
    assert repriced == {"price": {"old": 120.5, "new": 99.5}}
    assert renamed == {
        "name": {"old": "Desk", "new": "Standing desk"},
        "description": {"old": "Oak", "new": None},
        "price": {"old": 99.5, "new": None},
        "tags": {"old": ["office"], "new": []},
    }
    assert removed == {"name": {"old": "Standing desk", "new": None}, "tags": {"old": [], "new": None}}


def test_replaying_records_writes_no_duplicates(
    call: Call, audit_handler: Handler, stream_arn: str, dynamodb: Any, names: dict[str, str]
) -> None:
    life_cycle(call)
    records = read_stream(stream_arn)
    audit_handler(lambda_event(records), LambdaContext())

    # What Lambda does after a partial failure or a bisection: the same records again, in parts.
    audit_handler(lambda_event(records[1:]), LambdaContext())
    audit_handler(lambda_event(random.sample(records, k=len(records))), LambdaContext())

    assert len(audit_entries(dynamodb, names)) == len(item_records(records)) == 4


def test_partial_failure_reports_exactly_the_poison_record(
    call: Call, audit_handler: Handler, stream_arn: str, dynamodb: Any, names: dict[str, str]
) -> None:
    call("POST", "/items", body=ITEM)
    # An item whose key is not an item key: it cannot be attributed, so it must fail rather than vanish.
    poison = {"pk": {"S": "OWNER#alice"}, "sk": {"S": "ITEM#not-an-id"}, "entity": {"S": "Item"}}
    dynamodb.put_item(TableName=names["ItemsTable"], Item=poison)
    call("POST", "/items", body=ITEM)
    records = read_stream(stream_arn)

    response = audit_handler(lambda_event(records), LambdaContext())

    assert response == {"batchItemFailures": [{"itemIdentifier": records[1]["dynamodb"]["SequenceNumber"]}]}
    assert len(audit_entries(dynamodb, names)) == 2


def test_records_that_are_not_items_leave_no_entry(
    audit_handler: Handler, stream_arn: str, dynamodb: Any, names: dict[str, str]
) -> None:
    job = {"pk": {"S": "OWNER#alice"}, "sk": {"S": "IMPORT#01JDQ50A1B2C3D4E5F6G7H8J9K"}, "entity": {"S": "Import"}}
    dynamodb.put_item(TableName=names["ItemsTable"], Item=job)
    dynamodb.delete_item(TableName=names["ItemsTable"], Key={"pk": job["pk"], "sk": job["sk"]})

    assert audit_handler(lambda_event(read_stream(stream_arn)), LambdaContext()) == {"batchItemFailures": []}
    assert audit_entries(dynamodb, names) == []


def test_only_the_owner_sees_the_history(call: Call, audit_handler: Handler, stream_arn: str) -> None:
    item_id = life_cycle(call)
    audit_handler(lambda_event(read_stream(stream_arn)), LambdaContext())

    stolen = call("GET", f"/items/{item_id}/history", owner="mallory")
    missing = call("GET", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA/history", owner="mallory")

    assert stolen["statusCode"] == missing["statusCode"] == 404
    assert json_body(stolen) == json_body(missing)
    assert call("GET", f"/items/{item_id}/history", owner="alice")["statusCode"] == 200
