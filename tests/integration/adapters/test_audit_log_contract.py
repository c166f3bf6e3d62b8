"""One set of audit log cases, run against the DynamoDB adapter on moto and against the in-memory fake,
so the fake used by the unit tests cannot drift from the real behaviour."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.adapters.dynamodb_audit import DynamoDBAuditLog, entry_key
from app.domain.audit import ChangeType, FieldValues, HistoryEntry
from app.domain.resource_kinds import ITEMS
from app.services.audit import AuditLog
from tests.fakes.audit import InMemoryAuditLog

ITEM_ID = "01JDQ4Z5V6W7X8Y9ZA0B1C2D3E"
AT = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
EXPIRES = AT + timedelta(days=365)


@pytest.fixture(params=["dynamodb", "in-memory"])
def log(request: pytest.FixtureRequest) -> Iterator[AuditLog]:
    if request.param == "in-memory":
        yield InMemoryAuditLog()
        return
    names = request.getfixturevalue("names")
    dynamodb = request.getfixturevalue("dynamodb")
    yield DynamoDBAuditLog(client=dynamodb, table_name=names["AuditTable"])


def position(second: int, sequence: int = 1) -> str:
    return f"2026-11-28T10:00:{second:02d}Z#{sequence:040d}#e{second}-{sequence}"


def make_entry(**fields: Any) -> HistoryEntry:
    values: dict[str, Any] = {
        "event_id": "e1",
        "type": ChangeType.MODIFY,
        "at": AT,
        "actor": "alice",
        "changes": {
            "price": FieldValues(old=Decimal("49.90"), new=Decimal("39.9")),
            "tags": FieldValues(old=["home"], new=[]),
            "description": FieldValues(old="Brass", new=None),
        },
    }
    return HistoryEntry(**(values | fields))


def test_an_appended_entry_reads_back_equal(log: AuditLog) -> None:
    event = make_entry()
    log.append(kind=ITEMS, owner="alice", item_id=ITEM_ID, position=position(0), entry=event, expires_at=EXPIRES)

    page = log.list_newest_first(kind=ITEMS, owner="alice", item_id=ITEM_ID, limit=10, after=None)

    assert page.entries == [event]
    assert page.next_position is None


def test_an_entry_without_actor_reads_back_without_one(log: AuditLog) -> None:
    event = make_entry(actor=None, changes={})
    log.append(kind=ITEMS, owner="alice", item_id=ITEM_ID, position=position(0), entry=event, expires_at=EXPIRES)

    assert log.list_newest_first(kind=ITEMS, owner="alice", item_id=ITEM_ID, limit=1, after=None).entries == [event]


def test_appending_at_an_existing_position_keeps_the_first_entry(log: AuditLog) -> None:
    first, second = make_entry(), make_entry(actor="mallory", changes={})
    log.append(kind=ITEMS, owner="alice", item_id=ITEM_ID, position=position(0), entry=first, expires_at=EXPIRES)

    log.append(kind=ITEMS, owner="alice", item_id=ITEM_ID, position=position(0), entry=second, expires_at=EXPIRES)

    assert log.list_newest_first(kind=ITEMS, owner="alice", item_id=ITEM_ID, limit=10, after=None).entries == [first]


def test_pages_walk_newest_first_exactly_once(log: AuditLog) -> None:
    positions = [position(second, sequence) for second in range(3) for sequence in (9, 10)]
    for n, at in enumerate(positions):
        log.append(
            kind=ITEMS,
            owner="alice",
            item_id=ITEM_ID,
            position=at,
            entry=make_entry(event_id=f"e{n}"),
            expires_at=EXPIRES,
        )

    first = log.list_newest_first(kind=ITEMS, owner="alice", item_id=ITEM_ID, limit=4, after=None)
    last = log.list_newest_first(kind=ITEMS, owner="alice", item_id=ITEM_ID, limit=4, after=first.next_position)

    assert [event.event_id for event in first.entries + last.entries] == ["e5", "e4", "e3", "e2", "e1", "e0"]
    assert first.next_position == positions[2]
    assert last.next_position is None


def test_histories_are_per_owner_and_item(log: AuditLog) -> None:
    log.append(kind=ITEMS, owner="alice", item_id=ITEM_ID, position=position(0), entry=make_entry(), expires_at=EXPIRES)

    assert log.list_newest_first(kind=ITEMS, owner="bob", item_id=ITEM_ID, limit=10, after=None).entries == []
    other_item = "01JAAAAAAAAAAAAAAAAAAAAAAA"
    assert log.list_newest_first(kind=ITEMS, owner="alice", item_id=other_item, limit=10, after=None).entries == []


def test_dynamodb_entry_carries_its_ttl_and_lookup_attributes(names: dict[str, str], dynamodb: Any) -> None:
    log = DynamoDBAuditLog(client=dynamodb, table_name=names["AuditTable"])
    log.append(kind=ITEMS, owner="alice", item_id=ITEM_ID, position=position(0), entry=make_entry(), expires_at=EXPIRES)

    key = entry_key(ITEMS, "alice", ITEM_ID, position(0))
    stored = dynamodb.get_item(TableName=names["AuditTable"], Key=key)["Item"]

    assert stored["pk"] == {"S": f"ITEM#alice#{ITEM_ID}"}
    assert stored["expiresAt"] == {"N": str(int(EXPIRES.timestamp()))}
    assert (stored["owner"], stored["itemId"], stored["eventId"]) == ({"S": "alice"}, {"S": ITEM_ID}, {"S": "e1"})
