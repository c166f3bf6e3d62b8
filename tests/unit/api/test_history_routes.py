"""GET /items/{id}/history through the real handler and resolver, on an in-memory audit log."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.adapters.item_stream import item_change
from app.models.items import ItemPublic
from app.services.audit import AuditRecorder
from tests.fakes.audit import InMemoryAuditLog
from tests.support.apigw import json_body
from tests.support.streams import item_image, stream_record

Call = Callable[..., dict[str, Any]]
ITEM_ID = "01JDQ4Z5V6W7X8Y9ZA0B1C2D3E"
T0 = 1_795_860_000  # 2026-11-28T10:00:00Z


def version(number: int, **fields: Any) -> dict[str, Any]:
    at = datetime.fromtimestamp(T0, UTC)
    values = {"name": "Lamp", "price": Decimal("49.90"), "tags": ["home"]} | fields
    return item_image("alice", ItemPublic(id=ITEM_ID, version=number, created_at=at, updated_at=at, **values))


def record_life_cycle(audit_log: InMemoryAuditLog) -> list[str]:
    """alice creates the item, changes it twice (within one second) and deletes it; returns the event ids."""
    v1, v2, v3 = version(1), version(2, price=Decimal("39.90")), version(3, price=Decimal("39.90"), tags=[])
    records = [
        stream_record("INSERT", new=v1, at=T0),
        stream_record("MODIFY", old=v1, new=v2, at=T0 + 60),
        stream_record("MODIFY", old=v2, new=v3, at=T0 + 60),
        stream_record("REMOVE", old=v3, at=T0 + 120),
    ]
    recorder = AuditRecorder(log=audit_log, retention=timedelta(days=365))
    for record in records:
        change = item_change(record)
        assert change is not None
        recorder.record(change)
    return [record["eventID"] for record in records]


def test_history_lists_every_change_newest_first_after_the_item_is_gone(
    call: Call, audit_log: InMemoryAuditLog
) -> None:
    event_ids = record_life_cycle(audit_log)

    response = call("GET", f"/items/{ITEM_ID}/history")

    assert response["statusCode"] == 200
    body = json_body(response)
    assert body["nextCursor"] is None
    assert [event["eventId"] for event in body["events"]] == list(reversed(event_ids))
    assert [event["type"] for event in body["events"]] == ["REMOVE", "MODIFY", "MODIFY", "INSERT"]
    removed, second, first, created = body["events"]
    assert created == {
        "eventId": event_ids[0],
        "type": "INSERT",
        "at": "2026-11-28T10:00:00Z",
        "actor": "alice",
        "changes": {
            "name": {"old": None, "new": "Lamp"},
            "price": {"old": None, "new": 49.9},
            "tags": {"old": None, "new": ["home"]},
        },
    }
    assert first["changes"] == {"price": {"old": 49.9, "new": 39.9}}
    assert second["changes"] == {"tags": {"old": ["home"], "new": []}}
    assert removed["changes"] == {
        "name": {"old": "Lamp", "new": None},
        "price": {"old": 39.9, "new": None},
        "tags": {"old": [], "new": None},
    }


def test_another_owners_history_is_404_like_a_missing_one(call: Call, audit_log: InMemoryAuditLog) -> None:
    record_life_cycle(audit_log)

    stolen = call("GET", f"/items/{ITEM_ID}/history", owner="mallory")
    missing = call("GET", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA/history", owner="mallory")

    assert stolen["statusCode"] == missing["statusCode"] == 404
    assert json_body(stolen) == json_body(missing)
    assert call("GET", "/items/not-an-id/history")["statusCode"] == 404


def test_pages_follow_the_cursor(call: Call, audit_log: InMemoryAuditLog) -> None:
    event_ids = record_life_cycle(audit_log)

    first = json_body(call("GET", f"/items/{ITEM_ID}/history", query={"limit": "3"}))
    second = json_body(call("GET", f"/items/{ITEM_ID}/history", query={"limit": "3", "cursor": first["nextCursor"]}))

    assert [event["eventId"] for event in first["events"] + second["events"]] == list(reversed(event_ids))
    assert second["nextCursor"] is None


def test_tampered_or_foreign_cursor_is_400(call: Call, audit_log: InMemoryAuditLog) -> None:
    record_life_cycle(audit_log)
    cursor = json_body(call("GET", f"/items/{ITEM_ID}/history", query={"limit": "1"}))["nextCursor"]
    tampered = ("B" if cursor[0] == "A" else "A") + cursor[1:]

    for owner, bad in (("alice", tampered), ("alice", "garbage"), ("mallory", cursor)):
        response = call("GET", f"/items/{ITEM_ID}/history", owner=owner, query={"cursor": bad})
        assert response["statusCode"] == 400, bad
        assert json_body(response)["error"]["code"] == "INVALID_CURSOR"


@pytest.mark.parametrize("limit", ["0", "101", "x"])
def test_limit_out_of_range_is_422(call: Call, limit: str) -> None:
    assert call("GET", f"/items/{ITEM_ID}/history", query={"limit": limit})["statusCode"] == 422


def test_history_needs_a_token(call: Call) -> None:
    assert call("GET", f"/items/{ITEM_ID}/history", owner=None)["statusCode"] == 401


def test_an_item_whose_entries_have_not_arrived_has_an_empty_history_not_a_404(call: Call) -> None:
    # The audit function is held back (nothing reaches the audit log): the stream delivers after the write.
    created = json_body(call("POST", "/items", body={"name": "Lamp", "price": 10}))
    path = f"/items/{created['id']}/history"

    existing = call("GET", path)
    assert (existing["statusCode"], json_body(existing)["events"]) == (200, [])
    assert call("DELETE", f"/items/{created['id']}", headers={"if-match": '"1"'})["statusCode"] == 204
    deleted = call("GET", path)
    assert (deleted["statusCode"], json_body(deleted)["events"]) == (200, [])
    assert call("GET", path, owner="mallory")["statusCode"] == 404
    assert call("GET", "/items/01JAAAAAAAAAAAAAAAAAAAAAAA/history")["statusCode"] == 404
