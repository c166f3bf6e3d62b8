"""POST, PUT and DELETE /items through the real handler, wiring and clients on moto, under each fault.

Absorbed faults (botocore retries them, including an attempt DynamoDB applied before its answer was lost) give the
answer the request would have had without them; faults that outlast the retries give 503 with Retry-After and
change nothing. Nothing is lost, nothing duplicated. Each fault hits the next call on the items table ("*"): the
request's write, whichever operation it uses. One test runs every fault of a kind, each with its own owner (so its
own partition), to provision moto once rather than once per fault.
"""

from collections.abc import Callable
from typing import Any

import pytest

from devstack.names import Names
from tests.integration.faults.plans import ABSORBED, EXHAUSTING
from tests.support.apigw import json_body
from tests.support.faults import FaultInjector

Call = Callable[..., dict[str, Any]]
ITEM = {"name": "Desk", "price": 120.5, "tags": ["office"]}
CHANGED = {"name": "Standing desk", "price": 99.5}


def listed(call: Call, owner: str) -> list[dict[str, Any]]:
    response = call("GET", "/items", owner=owner)
    assert response["statusCode"] == 200
    return list(json_body(response)["items"])


def assert_unavailable(response: dict[str, Any], fault: str) -> None:
    assert response["statusCode"] == 503, fault
    assert response["headers"]["Retry-After"] == "1", fault
    assert json_body(response)["error"]["code"] == "SERVICE_UNAVAILABLE", fault


def create(call: Call, owner: str) -> dict[str, Any]:
    created = call("POST", "/items", body=ITEM, owner=owner)
    assert created["statusCode"] == 201
    return dict(json_body(created))


def test_create_answers_201_with_the_one_item_it_stored(call: Call, faults: FaultInjector, names: Names) -> None:
    for fault, plan in ABSORBED.items():
        plan(faults, "*", names["ItemsTable"])

        response = call("POST", "/items", body=ITEM, owner=fault)

        assert response["statusCode"] == 201, (fault, json_body(response))
        assert listed(call, fault) == [json_body(response)], fault
    assert len(faults.fired) >= len(ABSORBED)


def test_create_that_cannot_reach_dynamodb_is_503_and_stores_nothing(
    call: Call, faults: FaultInjector, names: Names
) -> None:
    for fault, plan in EXHAUSTING.items():
        plan(faults, "*", names["ItemsTable"])

        assert_unavailable(call("POST", "/items", body=ITEM, owner=fault), fault)
        assert listed(call, fault) == [], fault


def test_replace_answers_200_with_the_new_version(call: Call, faults: FaultInjector, names: Names) -> None:
    for fault, plan in ABSORBED.items():
        item = create(call, fault)
        plan(faults, "*", names["ItemsTable"])

        response = call("PUT", f"/items/{item['id']}", body=CHANGED, headers={"If-Match": '"1"'}, owner=fault)

        assert response["statusCode"] == 200, (fault, json_body(response))
        replaced = json_body(response)
        assert (replaced["version"], replaced["name"], response["headers"]["ETag"]) == (2, "Standing desk", '"2"')
        assert listed(call, fault) == [replaced], fault


def test_replace_that_cannot_reach_dynamodb_is_503_and_changes_nothing(
    call: Call, faults: FaultInjector, names: Names
) -> None:
    for fault, plan in EXHAUSTING.items():
        item = create(call, fault)
        plan(faults, "*", names["ItemsTable"])

        response = call("PUT", f"/items/{item['id']}", body=CHANGED, headers={"If-Match": '"1"'}, owner=fault)

        assert_unavailable(response, fault)
        assert listed(call, fault) == [item], fault


@pytest.mark.parametrize("if_match", [None, '"1"'])
def test_delete_answers_204_and_the_item_is_gone(
    call: Call, faults: FaultInjector, names: Names, if_match: str | None
) -> None:
    for fault, plan in ABSORBED.items():
        item = create(call, fault)
        plan(faults, "*", names["ItemsTable"])

        response = call(
            "DELETE", f"/items/{item['id']}", headers={"If-Match": if_match} if if_match else None, owner=fault
        )

        assert response["statusCode"] == 204, (fault, json_body(response))
        assert call("GET", f"/items/{item['id']}", owner=fault)["statusCode"] == 404, fault


def test_delete_that_cannot_reach_dynamodb_is_503_and_keeps_the_item(
    call: Call, faults: FaultInjector, names: Names
) -> None:
    for fault, plan in EXHAUSTING.items():
        item = create(call, fault)
        plan(faults, "*", names["ItemsTable"])

        assert_unavailable(call("DELETE", f"/items/{item['id']}", headers={"If-Match": '"1"'}, owner=fault), fault)
        assert listed(call, fault) == [item], fault


def test_real_conflicts_after_a_retry_keep_their_answer(call: Call, faults: FaultInjector, names: Names) -> None:
    """Recognising its own write never hides another writer's: a stale If-Match stays 412 and deleting a missing
    item stays 404, also when an earlier attempt of the call was refused or lost unapplied."""
    item = create(call, "alice")
    assert call("PUT", f"/items/{item['id']}", body=CHANGED, headers={"If-Match": '"1"'})["statusCode"] == 200
    gone = create(call, "alice")
    assert call("DELETE", f"/items/{gone['id']}")["statusCode"] == 204

    faults.fail_before_send("*", table=names["ItemsTable"])
    stale = call("PUT", f"/items/{item['id']}", body=ITEM, headers={"If-Match": '"1"'})
    faults.throttle("*", table=names["ItemsTable"])
    missing = call("DELETE", f"/items/{gone['id']}")
    faults.fail_before_send("*", table=names["ItemsTable"], timeout=True)
    stale_delete = call("DELETE", f"/items/{item['id']}", headers={"If-Match": '"1"'})

    assert [stale["statusCode"], missing["statusCode"], stale_delete["statusCode"]] == [412, 404, 412]
    assert [entry["version"] for entry in listed(call, "alice")] == [2]
