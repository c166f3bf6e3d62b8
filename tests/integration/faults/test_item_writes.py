"""POST, PUT and DELETE /items through the real handler, wiring and clients on moto, under each fault.

Absorbed faults (botocore retries them, including an attempt DynamoDB applied before its answer was lost) give the
answer the request would have had without them; faults that outlast the retries give 503 with Retry-After and
change nothing. Nothing is lost, nothing duplicated. Each fault hits the next call on the items table ("*"): the
request's write, whichever operation it uses.
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


def listed(call: Call) -> list[dict[str, Any]]:
    response = call("GET", "/items")
    assert response["statusCode"] == 200
    return list(json_body(response)["items"])


def assert_unavailable(response: dict[str, Any]) -> None:
    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "1"
    assert json_body(response)["error"]["code"] == "SERVICE_UNAVAILABLE"


def create(call: Call) -> dict[str, Any]:
    created = call("POST", "/items", body=ITEM)
    assert created["statusCode"] == 201
    return dict(json_body(created))


@pytest.mark.parametrize("fault", ABSORBED)
def test_create_answers_201_with_the_one_item_it_stored(
    call: Call, faults: FaultInjector, names: Names, fault: str
) -> None:
    ABSORBED[fault](faults, "*", names["ItemsTable"])

    response = call("POST", "/items", body=ITEM)

    assert response["statusCode"] == 201, json_body(response)
    assert listed(call) == [json_body(response)]
    assert faults.fired


@pytest.mark.parametrize("fault", EXHAUSTING)
def test_create_that_cannot_reach_dynamodb_is_503_and_stores_nothing(
    call: Call, faults: FaultInjector, names: Names, fault: str
) -> None:
    EXHAUSTING[fault](faults, "*", names["ItemsTable"])

    assert_unavailable(call("POST", "/items", body=ITEM))
    assert listed(call) == []


@pytest.mark.parametrize("fault", ABSORBED)
def test_replace_answers_200_with_the_new_version(call: Call, faults: FaultInjector, names: Names, fault: str) -> None:
    item = create(call)
    ABSORBED[fault](faults, "*", names["ItemsTable"])

    response = call("PUT", f"/items/{item['id']}", body=CHANGED, headers={"If-Match": '"1"'})

    assert response["statusCode"] == 200, json_body(response)
    replaced = json_body(response)
    assert (replaced["version"], replaced["name"], response["headers"]["ETag"]) == (2, "Standing desk", '"2"')
    assert listed(call) == [replaced]


@pytest.mark.parametrize("fault", EXHAUSTING)
def test_replace_that_cannot_reach_dynamodb_is_503_and_changes_nothing(
    call: Call, faults: FaultInjector, names: Names, fault: str
) -> None:
    item = create(call)
    EXHAUSTING[fault](faults, "*", names["ItemsTable"])

    assert_unavailable(call("PUT", f"/items/{item['id']}", body=CHANGED, headers={"If-Match": '"1"'}))
    assert listed(call) == [item]


@pytest.mark.parametrize("if_match", [None, '"1"'])
@pytest.mark.parametrize("fault", ABSORBED)
def test_delete_answers_204_and_the_item_is_gone(
    call: Call, faults: FaultInjector, names: Names, fault: str, if_match: str | None
) -> None:
    item = create(call)
    ABSORBED[fault](faults, "*", names["ItemsTable"])

    response = call("DELETE", f"/items/{item['id']}", headers={"If-Match": if_match} if if_match else None)

    assert response["statusCode"] == 204, json_body(response)
    assert call("GET", f"/items/{item['id']}")["statusCode"] == 404


@pytest.mark.parametrize("fault", EXHAUSTING)
def test_delete_that_cannot_reach_dynamodb_is_503_and_keeps_the_item(
    call: Call, faults: FaultInjector, names: Names, fault: str
) -> None:
    item = create(call)
    EXHAUSTING[fault](faults, "*", names["ItemsTable"])

    assert_unavailable(call("DELETE", f"/items/{item['id']}", headers={"If-Match": '"1"'}))
    assert listed(call) == [item]


def test_a_real_conflict_after_a_retry_is_still_412(call: Call, faults: FaultInjector, names: Names) -> None:
    """Recognising its own write never hides another writer's: a stale If-Match stays 412 across a retry."""
    item = create(call)
    assert call("PUT", f"/items/{item['id']}", body=CHANGED, headers={"If-Match": '"1"'})["statusCode"] == 200
    faults.fail_before_send("*", table=names["ItemsTable"])

    response = call("PUT", f"/items/{item['id']}", body=ITEM, headers={"If-Match": '"1"'})

    assert response["statusCode"] == 412
    assert [entry["version"] for entry in listed(call)] == [2]


def test_deleting_a_missing_item_after_a_retry_that_applied_nothing_is_404(
    call: Call, faults: FaultInjector, names: Names
) -> None:
    item = create(call)
    assert call("DELETE", f"/items/{item['id']}")["statusCode"] == 204
    faults.throttle("*", table=names["ItemsTable"])

    response = call("DELETE", f"/items/{item['id']}")

    assert response["statusCode"] == 404
