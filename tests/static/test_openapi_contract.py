"""The committed openapi.json is a valid OpenAPI 3.1 document and says what the API does.

tests/static/test_generated_files.py proves it is what the code generates; this proves what the code generates is
complete: success bodies, the gateway's 401, 204 without content, constraints as JSON Schema, required headers,
and the admission step's 400/413/415 wherever a request can carry a body.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

ROOT = Path(__file__).parents[2]
SPEC: dict[str, Any] = json.loads((ROOT / "openapi.json").read_text())
OPERATIONS = [
    (method, path, operation) for path, operations in SPEC["paths"].items() for method, operation in operations.items()
]
IDS = [f"{method.upper()} {path}" for method, path, _ in OPERATIONS]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def body_schema(response: dict[str, Any]) -> Any:
    return response.get("content", {}).get("application/json", {}).get("schema")


def test_the_document_is_valid_openapi_3_1() -> None:
    validate(SPEC)
    assert SPEC["openapi"].startswith("3.1")


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_success_response_has_its_schema_and_only_204_has_no_body(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    successes = {status: response for status, response in operation["responses"].items() if status.startswith("2")}

    assert len(successes) == 1
    [(status, response)] = successes.items()
    if status == "204":
        assert "content" not in response
    else:
        assert body_schema(response) is not None


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_errors_have_the_error_body_and_401_the_gateways(method: str, path: str, operation: dict[str, Any]) -> None:
    errors = {status: response for status, response in operation["responses"].items() if status >= "400"}
    gateway = {status for status, response in errors.items() if body_schema(response) == ref("GatewayMessage")}

    assert {status for status in errors if body_schema(errors[status]) == ref("ErrorResponse")} == set(errors) - gateway
    assert gateway == ({"401", "429"} if operation.get("security") != [{}] else {"429"})
    assert {"400", "413", "415"} <= set(errors)  # the admission step answers any request with a body


def test_public_operations_are_marked_and_the_others_need_the_jwt() -> None:
    assert SPEC["security"] == [{"jwt": []}]
    assert [f"{m.upper()} {p}" for m, p, o in OPERATIONS if o.get("security") == [{}]] == ["GET /health"]


def test_if_match_is_required_on_put_and_documented_with_428_and_412() -> None:
    put = SPEC["paths"]["/items/{id}"]["put"]
    [if_match] = [parameter for parameter in put["parameters"] if parameter["name"].lower() == "if-match"]

    assert (if_match["in"], if_match["required"]) == ("header", True)
    assert {"412", "428"} <= set(put["responses"])


def test_item_fields_carry_their_constraints() -> None:
    schema = SPEC["components"]["schemas"]["ItemCreate"]
    properties = schema["properties"]
    [price] = [option for option in properties["price"]["anyOf"] if option.get("type") == "number"]

    assert price == {"type": "number", "minimum": 0, "maximum": 999999999999.99, "multipleOf": 0.01}
    assert (properties["name"]["minLength"], properties["name"]["maxLength"]) == (1, 200)
    assert properties["tags"]["maxItems"] == 20
    assert properties["tags"]["uniqueItems"] is True
    assert schema["additionalProperties"] is False


def test_writes_that_create_or_change_an_item_link_to_its_next_operations() -> None:
    created = SPEC["paths"]["/items"]["post"]["responses"]["201"]
    operation_ids = {operation["operationId"] for _, _, operation in OPERATIONS}

    assert {link["operationId"] for link in created["links"].values()} == {"getItem", "replaceItem", "deleteItem"}
    assert {link["operationId"] for link in created["links"].values()} <= operation_ids
    assert created["links"]["ReplaceItem"]["parameters"]["header.if-match"] == "$response.header.ETag"
    assert set(created["headers"]) == {"ETag", "Location"}
