"""POST /items with an Idempotency-Key under each fault, on each of its three writes: the item's own write, and the
in-progress and completed records Powertools keeps in the idempotency table. One key, one item, one answer."""

from collections.abc import Callable
from typing import Any

import pytest

from devstack.names import Names
from tests.integration.faults.plans import ABSORBED, ATTEMPTS, EXHAUSTING
from tests.support.apigw import json_body
from tests.support.faults import FaultInjector

Call = Callable[..., dict[str, Any]]
ITEM = {"name": "Desk", "price": 120.5, "tags": ["office"]}
KEY = {"Idempotency-Key": "order-42"}


# Each write of a keyed create: its operation and the logical id of its table.
TARGETS = {
    "item": ("*", "ItemsTable"),
    "in-progress": ("PutItem", "IdempotencyTable"),
    "completed": ("UpdateItem", "IdempotencyTable"),
}


def listed(call: Call, owner: str) -> list[dict[str, Any]]:
    return list(json_body(call("GET", "/items", owner=owner))["items"])


def forget_idempotency_records(dynamodb: Any, names: Names) -> None:
    """What Powertools' expiry of an in-progress record amounts to: the next request with the key runs again."""
    table = names["IdempotencyTable"]
    for record in dynamodb.scan(TableName=table)["Items"]:
        dynamodb.delete_item(TableName=table, Key={"id": record["id"]})


def test_an_applied_create_whose_answer_was_lost_is_201_once_not_500_then_a_second_item(
    call: Call, faults: FaultInjector, names: Names
) -> None:
    """The issue's reproduction: the put was applied, botocore retried it, the retry failed its condition: 500,
    Powertools deleted its record, and the client's retry with the same key created a second item."""
    faults.apply_then_timeout("*", table=names["ItemsTable"])

    first = call("POST", "/items", body=ITEM, headers=KEY)
    replay = call("POST", "/items", body=ITEM, headers=KEY)

    assert [first["statusCode"], replay["statusCode"]] == [201, 201]
    assert json_body(first) == json_body(replay)
    assert listed(call, "alice") == [json_body(first)]


@pytest.mark.parametrize("target", TARGETS)
def test_keyed_create_gives_one_item_and_the_same_answer_under_each_fault(
    call: Call, faults: FaultInjector, names: Names, target: str
) -> None:
    operation, table = TARGETS[target]
    for fault, plan in ABSORBED.items():
        owner = fault
        plan(faults, operation, names[table])

        first = call("POST", "/items", body=ITEM, headers=KEY, owner=owner)
        replay = call("POST", "/items", body=ITEM, headers=KEY, owner=owner)

        assert [first["statusCode"], replay["statusCode"]] == [201, 201], (owner, json_body(first))
        assert json_body(first) == json_body(replay), owner
        assert listed(call, owner) == [json_body(first)], owner


def test_keyed_create_that_cannot_reach_dynamodb_is_503_and_its_retry_creates_the_one_item(
    call: Call, faults: FaultInjector, names: Names
) -> None:
    for target in ("item", "in-progress"):
        operation, table = TARGETS[target]
        for fault, plan in EXHAUSTING.items():
            owner = f"{target}-{fault}"
            plan(faults, operation, names[table])

            refused = call("POST", "/items", body=ITEM, headers=KEY, owner=owner)
            assert refused["statusCode"] == 503, (owner, json_body(refused))
            assert refused["headers"]["Retry-After"] == "1"
            assert listed(call, owner) == [], owner

            retried = call("POST", "/items", body=ITEM, headers=KEY, owner=owner)
            assert retried["statusCode"] == 201, owner
            assert listed(call, owner) == [json_body(retried)], owner


def test_a_create_whose_completion_was_never_recorded_is_never_made_twice(
    call: Call, faults: FaultInjector, names: Names, dynamodb: Any
) -> None:
    """The item was stored, then Powertools could not mark its record completed (503). Its in-progress record
    answers 409 until it expires; after that the request runs again and finds the item made under the key."""
    faults.throttle("UpdateItem", table=names["IdempotencyTable"], times=ATTEMPTS)

    refused = call("POST", "/items", body=ITEM, headers=KEY)
    stored = listed(call, "alice")
    in_progress = call("POST", "/items", body=ITEM, headers=KEY)
    forget_idempotency_records(dynamodb, names)
    replay = call("POST", "/items", body=ITEM, headers=KEY)
    forget_idempotency_records(dynamodb, names)
    other_body = call("POST", "/items", body=ITEM | {"name": "Chair"}, headers=KEY)

    assert [refused["statusCode"], in_progress["statusCode"], replay["statusCode"]] == [503, 409, 201]
    assert listed(call, "alice") == stored == [json_body(replay)]
    assert other_body["statusCode"] == 422
    assert json_body(other_body)["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
