"""The API handler with its real wiring on moto: Secrets Manager cursor key, Powertools idempotency, DynamoDB."""

import threading
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from app import wiring
from app.adapters.aws import CLIENT_CONFIG
from app.adapters.idempotency import IdempotentCreates
from app.domain.errors import RequestInProgressError
from app.models.items import ItemCreate, ItemPublic
from tests.support.apigw import LambdaContext, json_body

Call = Callable[..., dict[str, Any]]
ITEM = {"name": "Desk", "price": 120.5, "tags": ["office"]}


def test_crud_life_cycle(call: Call) -> None:
    created = call("POST", "/items", body=ITEM)
    item_id = json_body(created)["id"]
    replaced = call("PUT", f"/items/{item_id}", body=ITEM | {"name": "Standing desk"}, headers={"If-Match": '"1"'})
    listed = call("GET", "/items")
    deleted = call("DELETE", f"/items/{item_id}", headers={"If-Match": '"2"'})

    assert [r["statusCode"] for r in (created, replaced, listed, deleted)] == [201, 200, 200, 204]
    assert json_body(replaced)["version"] == 2
    assert [item["name"] for item in json_body(listed)["items"]] == ["Standing desk"]
    assert call("GET", f"/items/{item_id}")["statusCode"] == 404


def test_cursor_is_signed_with_the_templates_secret(call: Call) -> None:
    for n in range(3):
        call("POST", "/items", body=ITEM | {"name": f"n{n}"})

    first = json_body(call("GET", "/items", query={"limit": "2"}))
    second = json_body(call("GET", "/items", query={"limit": "2", "cursor": first["nextCursor"]}))
    foreign = call("GET", "/items", owner="bob", query={"cursor": first["nextCursor"]})

    assert [i["name"] for i in first["items"] + second["items"]] == ["n2", "n1", "n0"]
    assert second["nextCursor"] is None
    assert foreign["statusCode"] == 400


def test_idempotent_replay_returns_the_same_item_and_creates_one(call: Call) -> None:
    headers = {"Idempotency-Key": "order-42"}

    first = call("POST", "/items", body=ITEM, headers=headers)
    replay = call("POST", "/items", body=ITEM, headers=headers)

    assert first["statusCode"] == replay["statusCode"] == 201
    assert json_body(first) == json_body(replay)
    assert first["headers"]["Location"] == replay["headers"]["Location"]
    assert len(json_body(call("GET", "/items"))["items"]) == 1


def test_idempotency_key_with_another_body_is_422(call: Call) -> None:
    headers = {"Idempotency-Key": "order-42"}
    call("POST", "/items", body=ITEM, headers=headers)

    response = call("POST", "/items", body=ITEM | {"price": 99}, headers=headers)

    assert response["statusCode"] == 422
    assert json_body(response)["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert len(json_body(call("GET", "/items"))["items"]) == 1


def test_idempotency_keys_are_scoped_to_the_owner(call: Call) -> None:
    headers = {"Idempotency-Key": "same-key"}

    alice = call("POST", "/items", owner="alice", body=ITEM, headers=headers)
    bob = call("POST", "/items", owner="bob", body=ITEM | {"name": "other"}, headers=headers)

    assert alice["statusCode"] == bob["statusCode"] == 201
    assert json_body(alice)["id"] != json_body(bob)["id"]


def test_same_key_while_the_first_request_runs_is_in_progress(api_environment: dict[str, str]) -> None:
    started, release = threading.Event(), threading.Event()
    results: list[ItemPublic] = []

    def slow_create(*, owner: str, item_in: ItemCreate, creation_key: str | None = None) -> ItemPublic:
        started.set()
        release.wait(5)
        return ItemPublic(
            **item_in.model_dump(),
            id="01JAAAAAAAAAAAAAAAAAAAAAAA",
            version=1,
            created_at="2026-01-01T00:00:00Z",
            updated_at="2026-01-01T00:00:00Z",
        )

    creates = IdempotentCreates(
        client=boto3.client("dynamodb", config=CLIENT_CONFIG),
        table_name=api_environment["IDEMPOTENCY_TABLE_NAME"],
        create_item=slow_create,
    )
    creates.register_lambda_context(LambdaContext())
    first = threading.Thread(
        target=lambda: results.append(creates.create_item(owner="alice", key="k", item_in=ItemCreate(name="a")))
    )
    first.start()
    assert started.wait(5)

    with pytest.raises(RequestInProgressError):
        creates.create_item(owner="alice", key="k", item_in=ItemCreate(name="a"))

    release.set()
    first.join(5)
    assert results[0].id == "01JAAAAAAAAAAAAAAAAAAAAAAA"


def test_in_progress_is_409_through_the_api(call: Call, monkeypatch: pytest.MonkeyPatch) -> None:
    def in_progress(**_: Any) -> ItemPublic:
        raise RequestInProgressError()

    monkeypatch.setattr(wiring.api_services().idempotent_creates, "create_item", in_progress)

    response = call("POST", "/items", body=ITEM, headers={"Idempotency-Key": "k"})

    assert response["statusCode"] == 409
    assert json_body(response)["error"]["code"] == "REQUEST_IN_PROGRESS"


def test_throttled_dynamodb_is_503_with_retry_after(
    api_environment: dict[str, str], call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    throttled = boto3.client("dynamodb", config=CLIENT_CONFIG)
    stubber = Stubber(throttled)
    for _ in range(3):
        stubber.add_client_error(
            "get_item", service_error_code="ProvisionedThroughputExceededException", http_status_code=400
        )
    stubber.activate()
    monkeypatch.setattr(wiring, "client", lambda _service: throttled)
    wiring.api_services.cache_clear()

    response = call("GET", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA")

    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "1"
    assert json_body(response)["error"]["code"] == "SERVICE_UNAVAILABLE"


def test_warm_invocations_create_no_clients(call: Call, monkeypatch: pytest.MonkeyPatch) -> None:
    item_id = json_body(call("POST", "/items", body=ITEM))["id"]
    call("POST", "/items", body=ITEM)
    # The first page with a next cursor reads the signing key: the one lazily created client.
    assert json_body(call("GET", "/items", query={"limit": "1"}))["nextCursor"]
    created: list[str] = []
    real_client: Any = boto3.client

    def counting_client(service: str, *args: Any, **kwargs: Any) -> Any:
        created.append(service)
        return real_client(service, *args, **kwargs)

    monkeypatch.setattr(boto3, "client", counting_client)
    monkeypatch.setattr(boto3.session.Session, "client", lambda self, service, *a, **k: created.append(service))

    for _ in range(3):
        call("GET", f"/items/{item_id}")
        call("GET", "/items", query={"limit": "1"})
        call("POST", "/items", body=ITEM, headers={"Idempotency-Key": f"k-{len(created)}"})

    assert created == []
