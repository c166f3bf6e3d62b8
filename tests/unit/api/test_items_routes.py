"""Every route through the real handler and resolver with API Gateway v2 events, on in-memory adapters."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.apigw import json_body

Call = Callable[..., dict[str, Any]]
VALID_ITEM = {"name": "Desk lamp", "description": "Brass", "price": 49.9, "tags": ["home", "light"]}


def create(call: Call, owner: str = "alice", **fields: Any) -> dict[str, Any]:
    response = call("POST", "/items", owner=owner, body=VALID_ITEM | fields)
    assert response["statusCode"] == 201, response
    return dict(json_body(response))


def test_create_returns_201_with_location_etag_and_server_fields(call: Call) -> None:
    response = call("POST", "/items", body=VALID_ITEM)

    assert response["statusCode"] == 201
    item = json_body(response)
    assert response["headers"]["Location"] == f"/items/{item['id']}"
    assert response["headers"]["ETag"] == '"1"'
    assert item | {"id": "x", "createdAt": "t", "updatedAt": "t"} == VALID_ITEM | {
        "id": "x",
        "version": 1,
        "createdAt": "t",
        "updatedAt": "t",
    }
    assert item["createdAt"] == item["updatedAt"]
    assert item["createdAt"].endswith("Z") or item["createdAt"].endswith("+00:00")


def test_price_keeps_two_decimals_as_a_json_number(call: Call) -> None:
    item = create(call, price=19.99)

    assert item["price"] == 19.99


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.name"),
        ({"name": ""}, "body.name"),
        ({"name": "x" * 201}, "body.name"),
        ({"name": "a", "description": "d" * 2001}, "body.description"),
        ({"name": "a", "price": -1}, "body.price"),
        ({"name": "a", "price": 1.234}, "body.price"),
        ({"name": "a", "price": "12"}, "body.price"),
        ({"name": "a", "tags": ["x"] * 2}, "body.tags"),
        ({"name": "a", "tags": [f"t{i}" for i in range(21)]}, "body.tags"),
        ({"name": "a", "tags": ["y" * 51]}, "body.tags.0"),
        ({"name": "a", "owner": "mallory"}, "body.owner"),
        ({"name": "a", "version": 7}, "body.version"),
    ],
)
def test_invalid_item_is_422_listing_the_field_and_changes_nothing(
    call: Call, body: dict[str, Any], field: str
) -> None:
    response = call("POST", "/items", body=body)

    assert response["statusCode"] == 422
    error = json_body(response)["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert any(entry["field"].startswith(field) for entry in error["fields"]), error
    assert json_body(call("GET", "/items"))["items"] == []


def test_malformed_json_is_400(call: Call) -> None:
    response = call("POST", "/items", raw_body='{"name": ')

    assert response["statusCode"] == 400
    assert json_body(response)["error"]["code"] == "MALFORMED_JSON"


def test_body_over_64_kib_is_413_before_validation(call: Call) -> None:
    response = call("POST", "/items", body={"name": "a", "description": "x" * (64 * 1024)})

    assert response["statusCode"] == 413
    assert json_body(response)["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_multibyte_body_over_64_kib_is_413(call: Call) -> None:
    response = call("POST", "/items", raw_body='{"name": "' + "é" * 33_000 + '"}')

    assert response["statusCode"] == 413


def test_get_returns_item_with_etag(call: Call) -> None:
    created = create(call)

    response = call("GET", f"/items/{created['id']}")

    assert response["statusCode"] == 200
    assert response["headers"]["ETag"] == '"1"'
    assert json_body(response) == created


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PUT", VALID_ITEM), ("DELETE", None)])
def test_another_owners_item_is_404_like_a_missing_one(call: Call, method: str, body: Any) -> None:
    created = create(call, owner="alice")

    stolen = call(method, f"/items/{created['id']}", owner="mallory", body=body, headers={"If-Match": '"1"'})
    missing = call(method, "/items/01JAAAAAAAAAAAAAAAAAAAAAAA", owner="mallory", body=body, headers={"If-Match": '"1"'})

    assert stolen["statusCode"] == missing["statusCode"] == 404
    assert json_body(stolen) == json_body(missing)
    assert call("GET", f"/items/{created['id']}", owner="alice")["statusCode"] == 200


def test_malformed_id_is_404(call: Call) -> None:
    assert call("GET", "/items/not-an-id")["statusCode"] == 404


def test_put_replaces_fields_and_bumps_version(call: Call) -> None:
    created = create(call)
    replacement = {"name": "Floor lamp", "tags": ["home"]}

    response = call("PUT", f"/items/{created['id']}", body=replacement, headers={"If-Match": '"1"'})

    assert response["statusCode"] == 200
    assert response["headers"]["ETag"] == '"2"'
    replaced = json_body(response)
    assert replaced["name"] == "Floor lamp"
    assert "description" not in replaced or replaced["description"] is None
    assert replaced["version"] == 2
    assert replaced["createdAt"] == created["createdAt"]
    assert replaced["updatedAt"] >= created["updatedAt"]


def test_put_without_if_match_is_428(call: Call) -> None:
    created = create(call)

    response = call("PUT", f"/items/{created['id']}", body=VALID_ITEM)

    assert response["statusCode"] == 428
    assert json_body(response)["error"]["code"] == "PRECONDITION_REQUIRED"


@pytest.mark.parametrize("if_match", ['"2"', '"abc"', "*x"])
def test_put_with_stale_or_unknown_etag_is_412_and_changes_nothing(call: Call, if_match: str) -> None:
    created = create(call)

    response = call("PUT", f"/items/{created['id']}", body={"name": "new"}, headers={"If-Match": if_match})

    assert response["statusCode"] == 412
    assert json_body(call("GET", f"/items/{created['id']}")) == created


def test_delete_is_204_then_404(call: Call) -> None:
    created = create(call)

    response = call("DELETE", f"/items/{created['id']}")

    assert response["statusCode"] == 204
    assert not response.get("body")
    assert call("GET", f"/items/{created['id']}")["statusCode"] == 404


def test_delete_with_stale_if_match_is_412(call: Call) -> None:
    created = create(call)

    assert call("DELETE", f"/items/{created['id']}", headers={"If-Match": '"9"'})["statusCode"] == 412
    assert call("DELETE", f"/items/{created['id']}", headers={"If-Match": '"1"'})["statusCode"] == 204


def test_list_walks_every_item_exactly_once_newest_first(call: Call) -> None:
    created = [create(call, name=f"item {n}")["id"] for n in range(7)]

    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": "3"} | ({"cursor": cursor} if cursor else {})
        page = json_body(call("GET", "/items", query=query))
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["nextCursor"]
        if cursor is None:
            break

    assert seen == list(reversed(created))
    assert pages == 3


def test_list_default_limit_is_20(call: Call) -> None:
    for n in range(21):
        create(call, name=f"item {n}")

    page = json_body(call("GET", "/items"))

    assert len(page["items"]) == 20
    assert page["nextCursor"] is not None


@pytest.mark.parametrize("limit", ["0", "101", "x"])
def test_list_limit_out_of_range_is_422(call: Call, limit: str) -> None:
    assert call("GET", "/items", query={"limit": limit})["statusCode"] == 422


def test_tampered_cursor_is_400(call: Call) -> None:
    for n in range(3):
        create(call, name=f"item {n}")
    cursor = json_body(call("GET", "/items", query={"limit": "1"}))["nextCursor"]
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")

    for bad in (tampered, "garbage", "a.b", "." * 3, cursor + "x"):
        response = call("GET", "/items", query={"cursor": bad})
        assert response["statusCode"] == 400, bad
        assert json_body(response)["error"]["code"] == "INVALID_CURSOR"


def test_another_owners_cursor_is_400_and_reveals_nothing(call: Call) -> None:
    for n in range(3):
        create(call, owner="alice", name=f"secret {n}")
    create(call, owner="mallory", name="mine")
    alices_cursor = json_body(call("GET", "/items", owner="alice", query={"limit": "1"}))["nextCursor"]

    response = call("GET", "/items", owner="mallory", query={"cursor": alices_cursor})

    assert response["statusCode"] == 400
    assert "secret" not in response["body"]


def test_lists_are_per_owner(call: Call) -> None:
    create(call, owner="alice", name="a")
    create(call, owner="bob", name="b")

    assert [item["name"] for item in json_body(call("GET", "/items", owner="bob"))["items"]] == ["b"]


def test_idempotent_create_replays_the_first_response(call: Call) -> None:
    headers = {"Idempotency-Key": "key-1"}
    first = call("POST", "/items", body=VALID_ITEM, headers=headers)
    second = call("POST", "/items", body=VALID_ITEM, headers=headers)

    assert first["statusCode"] == second["statusCode"] == 201
    assert json_body(first) == json_body(second)
    assert first["headers"]["Location"] == second["headers"]["Location"]
    assert len(json_body(call("GET", "/items"))["items"]) == 1


def test_idempotency_key_reused_with_another_body_is_422(call: Call) -> None:
    headers = {"Idempotency-Key": "key-1"}
    call("POST", "/items", body=VALID_ITEM, headers=headers)

    response = call("POST", "/items", body=VALID_ITEM | {"name": "other"}, headers=headers)

    assert response["statusCode"] == 422
    assert json_body(response)["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_missing_claims_is_401(call: Call) -> None:
    response = call("GET", "/items", owner=None)

    assert response["statusCode"] == 401
    assert json_body(response) == {"message": "Unauthorized"}  # exactly what the JWT authorizer answers


def test_health_needs_no_token(call: Call) -> None:
    response = call("GET", "/health", owner=None)

    assert response["statusCode"] == 200
    assert json_body(response) == {"status": "ok"}


def test_unknown_route_is_404_in_the_error_format(call: Call) -> None:
    response = call("GET", "/nope")

    assert response["statusCode"] == 404
    assert json_body(response)["error"]["code"] == "NOT_FOUND"
