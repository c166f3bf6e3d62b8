"""The items API contract over real HTTP against the local stack, with real tokens from the local Cognito."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.e2e.localstack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.contract]
ITEM = {"name": "Desk lamp", "description": "Brass", "price": 49.9, "tags": ["home"]}


class Client:
    """requests with the stack's base URL and one user's bearer token."""

    def __init__(self, stack: Stack, token: str, *, timeout: float = 15) -> None:
        self.base_url = stack.base_url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.timeout = timeout

    def __call__(
        self, method: str, path: str, headers: dict[str, str] | None = None, **options: Any
    ) -> requests.Response:
        return requests.request(
            method, f"{self.base_url}{path}", headers=self.headers | (headers or {}), timeout=self.timeout, **options
        )


@pytest.fixture
def user(stack: Stack, token_for: Callable[[str], str]) -> Client:
    """A fresh owner per test, so tests never see each other's items."""
    return Client(stack, token_for(f"user-{uuid.uuid4().hex[:8]}"))


@pytest.fixture
def other_user(stack: Stack, token_for: Callable[[str], str]) -> Client:
    return Client(stack, token_for(f"other-{uuid.uuid4().hex[:8]}"))


def test_crud_contract(user: Client) -> None:
    created = user("POST", "/items", json=ITEM)
    assert created.status_code == 201
    item = created.json()
    assert created.headers["location"] == f"/items/{item['id']}"
    assert created.headers["etag"] == '"1"'

    fetched = user("GET", f"/items/{item['id']}")
    assert (fetched.status_code, fetched.json(), fetched.headers["etag"]) == (200, item, '"1"')

    assert user("PUT", f"/items/{item['id']}", json=ITEM).status_code == 428
    assert user("PUT", f"/items/{item['id']}", json=ITEM, headers={"If-Match": '"7"'}).status_code == 412
    replaced = user("PUT", f"/items/{item['id']}", json=ITEM | {"name": "Floor lamp"}, headers={"If-Match": '"1"'})
    assert (replaced.status_code, replaced.json()["version"], replaced.headers["etag"]) == (200, 2, '"2"')

    assert user("DELETE", f"/items/{item['id']}", headers={"If-Match": '"1"'}).status_code == 412
    assert user("DELETE", f"/items/{item['id']}", headers={"If-Match": '"2"'}).status_code == 204
    assert user("GET", f"/items/{item['id']}").status_code == 404


def test_pagination_walks_every_item_once_and_cursors_are_bound(user: Client, other_user: Client) -> None:
    ids = [user("POST", "/items", json=ITEM | {"name": f"n{n}"}).json()["id"] for n in range(5)]

    seen, cursor = [], None
    while True:
        page = user("GET", "/items", params={"limit": 2} | ({"cursor": cursor} if cursor else {})).json()
        seen += [item["id"] for item in page["items"]]
        if not (cursor := page["nextCursor"]):
            break
    first_cursor = user("GET", "/items", params={"limit": 2}).json()["nextCursor"]

    assert seen == list(reversed(ids))
    assert other_user("GET", "/items", params={"cursor": first_cursor}).status_code == 400
    assert user("GET", "/items", params={"cursor": first_cursor[:-3] + "xyz"}).status_code == 400
    assert user("GET", "/items", params={"limit": 101}).status_code == 422


def test_owners_are_isolated(user: Client, other_user: Client) -> None:
    item = user("POST", "/items", json=ITEM).json()

    for method in ("GET", "PUT", "DELETE"):
        response = other_user(method, f"/items/{item['id']}", json=ITEM, headers={"If-Match": '"1"'})
        assert response.status_code == 404, method
    assert other_user("GET", "/items").json()["items"] == []


def test_idempotent_create(user: Client) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = user("POST", "/items", json=ITEM, headers=key)
    replay = user("POST", "/items", json=ITEM, headers=key)
    reuse = user("POST", "/items", json=ITEM | {"name": "other"}, headers=key)

    assert (first.status_code, replay.status_code, reuse.status_code) == (201, 201, 422)
    assert replay.json() == first.json()
    assert len(user("GET", "/items").json()["items"]) == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ('{"name": ', 400, "MALFORMED_JSON"),
        ('{"name": "a", "extra": 1}', 422, "VALIDATION_ERROR"),
        ('{"name": "' + "x" * 70_000 + '"}', 413, "PAYLOAD_TOO_LARGE"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_changes_nothing(user: Client, body: str, status: int, code: str) -> None:
    response = user("POST", "/items", data=body, headers={"content-type": "application/json"})

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert user("GET", "/items").json()["items"] == []


def test_requests_without_a_token_are_401(stack: Stack) -> None:
    response = requests.get(f"{stack.base_url}/items", timeout=10)

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
