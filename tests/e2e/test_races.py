"""Races over HTTP against the local stack: clients at the same moment, functions running side by side in their
own execution environments, and the embedded AWS's conditional writes atomic as on DynamoDB.

Each test starts its clients together (a barrier) against warm environments, then checks the answers and what
the table holds afterwards.
"""

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.e2e.localstack import Stack
from tests.e2e.test_items_e2e import Client

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]
CLIENTS = 20
ITEM = {"name": "Desk lamp", "price": 49.9, "tags": ["home"]}


def patient_client(stack: Stack, token: str) -> Client:
    """A client of one owner, patient enough for requests queued behind 19 others."""
    return Client(stack, token, timeout=60)


def at_once(count: int, call: Callable[[int], requests.Response]) -> list[requests.Response]:
    """`count` calls released together, each in its own thread."""
    start = threading.Barrier(count)

    def run(number: int) -> requests.Response:
        start.wait()
        return call(number)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture(scope="module")
def warm(stack: Stack, token_for: Callable[[str], str]) -> Stack:
    """Every environment of the items functions started, so that the races are between warm runs."""
    owner = patient_client(stack, token_for("race-warm-up"))
    item = owner("POST", "/items", json=ITEM).json()
    at_once(4, lambda _: owner("PUT", f"/items/{item['id']}", json=ITEM, headers={"If-Match": '"9"'}))
    at_once(4, lambda _: owner("GET", f"/items/{item['id']}"))
    return stack


@pytest.fixture
def owner(warm: Stack, token_for: Callable[[str], str]) -> Client:
    return patient_client(warm, token_for(f"race-{uuid.uuid4().hex[:8]}"))


def test_concurrent_replaces_with_one_if_match_have_one_winner_and_lose_no_update(owner: Client) -> None:
    item = owner("POST", "/items", json=ITEM).json()

    answers = at_once(
        CLIENTS,
        lambda n: owner(
            "PUT", f"/items/{item['id']}", json=ITEM | {"name": f"writer {n}"}, headers={"If-Match": '"1"'}
        ),
    )

    statuses = Counter(answer.status_code for answer in answers)
    print(f"{CLIENTS} PUTs with one If-Match: {dict(statuses)}")
    assert statuses == {200: 1, 412: CLIENTS - 1}, statuses
    winner = next(answer.json() for answer in answers if answer.status_code == 200)
    stored = owner("GET", f"/items/{item['id']}")
    assert stored.json() == winner  # the one update that was answered 200 is the one stored
    assert (winner["version"], stored.headers["etag"]) == (2, '"2"')


def test_read_modify_write_clients_each_land_their_update(owner: Client) -> None:
    """Ten clients each add their own tag, retrying on 412: the item ends with all ten (no lost update)."""
    item = owner("POST", "/items", json=ITEM | {"tags": []}).json()

    def add_tag(number: int) -> requests.Response:
        for _ in range(50):
            current = owner("GET", f"/items/{item['id']}")
            tags = [*current.json()["tags"], f"t{number}"]
            body = {"name": ITEM["name"], "tags": tags}
            answer = owner("PUT", f"/items/{item['id']}", json=body, headers={"If-Match": current.headers["etag"]})
            if answer.status_code != 412:
                return answer
        raise AssertionError(f"client {number} never got its turn")

    answers = at_once(10, add_tag)

    assert [answer.status_code for answer in answers] == [200] * 10
    stored = owner("GET", f"/items/{item['id']}").json()
    assert sorted(stored["tags"]) == sorted(f"t{number}" for number in range(10))
    assert stored["version"] == 11


def test_concurrent_creates_with_one_idempotency_key_create_one_item(owner: Client) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}

    answers = at_once(CLIENTS, lambda _: owner("POST", "/items", json=ITEM, headers=key))

    statuses = Counter(answer.status_code for answer in answers)
    print(f"{CLIENTS} POSTs with one Idempotency-Key: {dict(statuses)}")
    assert set(statuses) <= {201, 409}, statuses  # 409 REQUEST_IN_PROGRESS while the first is still running
    assert statuses[201] >= 1
    created = {answer.json()["id"] for answer in answers if answer.status_code == 201}
    listed = owner("GET", "/items").json()["items"]
    assert len(created) == 1
    assert [item["id"] for item in listed] == list(created)
    assert all(a.json()["error"]["code"] == "REQUEST_IN_PROGRESS" for a in answers if a.status_code == 409)


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_deletes_and_replaces_never_resurrect_or_lose_an_item(owner: Client, round_: int) -> None:
    """Ten replaces and ten deletes of version 1 at once: one of them wins and the item's fate is that one's."""
    item = owner("POST", "/items", json=ITEM).json()
    path = f"/items/{item['id']}"

    def replace_or_delete(number: int) -> requests.Response:
        if number % 2:
            return owner("DELETE", path, headers={"If-Match": '"1"'})
        return owner("PUT", path, json=ITEM | {"name": f"writer {number}"}, headers={"If-Match": '"1"'})

    answers = at_once(CLIENTS, replace_or_delete)

    print(f"replaces and deletes of version 1, round {round_}: {dict(Counter(a.status_code for a in answers))}")
    winners = [answer for answer in answers if answer.status_code in (200, 204)]
    assert len(winners) == 1, Counter(answer.status_code for answer in answers)
    assert {answer.status_code for answer in answers} - {200, 204} <= {404, 412}
    stored = owner("GET", path)
    if winners[0].status_code == 204:
        assert stored.status_code == 404  # deleted, and no replace brought it back
    else:
        assert (stored.status_code, stored.json()) == (200, winners[0].json())  # replaced, and no delete lost it


def test_unconditional_deletes_racing_replaces_leave_no_item(owner: Client) -> None:
    """A delete without If-Match removes whatever version it finds: once any delete succeeded, no replace (which
    needs the item to exist) may recreate it."""
    item = owner("POST", "/items", json=ITEM).json()
    path = f"/items/{item['id']}"

    def replace_or_delete(number: int) -> requests.Response:
        if number % 2:
            return owner("DELETE", path)
        return owner("PUT", path, json=ITEM | {"name": f"writer {number}"}, headers={"If-Match": '"1"'})

    answers = at_once(CLIENTS, replace_or_delete)

    statuses = Counter(answer.status_code for answer in answers)
    print(f"unconditional deletes racing replaces: {dict(statuses)}")
    assert statuses[204] == 1, statuses  # one delete finds the item; the others find nothing (404)
    assert statuses[200] <= 1, statuses
    assert set(statuses) <= {200, 204, 404, 412}, statuses
    assert owner("GET", path).status_code == 404
