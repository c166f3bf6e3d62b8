from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain.audit import ChangeType, ItemChange
from app.domain.cursors import CursorCodec
from app.domain.errors import InvalidCursorError, ItemNotFoundError
from app.domain.resource_kinds import ITEMS
from app.models.history import FieldChange
from app.services.audit import AuditRecorder
from app.services.history import HistoryService
from tests.fakes.audit import InMemoryAuditLog
from tests.fakes.items import InMemoryItemRepository

ITEM_ID = "01JDQ4Z5V6W7X8Y9ZA0B1C2D3E"
AT = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
CREATED = ItemChange(
    event_id="e1",
    sequence_number="1001",
    type=ChangeType.INSERT,
    owner="alice",
    item_id=ITEM_ID,
    at=AT,
    actor="alice",
    old={},
    new={"name": "Lamp", "price": Decimal("49.90")},
    kind=ITEMS,
)


def changes_of(count: int) -> list[ItemChange]:
    """An item created, then modified count - 1 times, several within the same second."""
    modified = [
        CREATED._replace(
            event_id=f"e{n}",
            sequence_number=str(1000 + n),
            type=ChangeType.MODIFY,
            at=AT + timedelta(seconds=n // 2),
            old={"price": Decimal(n - 1)},
            new={"price": Decimal(n)},
        )
        for n in range(2, count + 1)
    ]
    return [CREATED, *modified]


@pytest.fixture
def log() -> InMemoryAuditLog:
    return InMemoryAuditLog()


@pytest.fixture
def recorder(log: InMemoryAuditLog) -> AuditRecorder:
    return AuditRecorder(log=log, retention=timedelta(days=365))


@pytest.fixture
def history(log: InMemoryAuditLog) -> HistoryService:
    return HistoryService(log=log, items=InMemoryItemRepository(), cursors=CursorCodec(lambda: b"k"))


def test_a_change_becomes_one_entry_with_its_field_changes(recorder: AuditRecorder, history: HistoryService) -> None:
    recorder.record(CREATED)

    [event] = history.item_history(owner="alice", item_id=ITEM_ID, limit=10).events

    assert (event.event_id, event.type, event.at, event.actor) == ("e1", ChangeType.INSERT, AT, "alice")
    assert event.changes == {
        "name": FieldChange(old=None, new="Lamp"),
        "price": FieldChange(old=None, new=Decimal("49.90")),
    }


def test_recording_the_same_change_twice_leaves_one_entry(recorder: AuditRecorder, log: InMemoryAuditLog) -> None:
    recorder.record(CREATED)
    recorder.record(CREATED)

    assert len(log.entries()) == 1


def test_an_entry_expires_after_the_retention_counted_from_the_change(
    recorder: AuditRecorder, log: InMemoryAuditLog
) -> None:
    recorder.record(CREATED)

    assert list(log.expiries.values()) == [AT + timedelta(days=365)]


def test_pages_walk_the_history_newest_first_exactly_once(recorder: AuditRecorder, history: HistoryService) -> None:
    changes = changes_of(7)
    for change in reversed(changes):  # arrival order must not matter
        recorder.record(change)

    seen, cursor = [], None
    while True:
        page = history.item_history(owner="alice", item_id=ITEM_ID, limit=3, cursor=cursor)
        seen += [event.event_id for event in page.events]
        if (cursor := page.next_cursor) is None:
            break

    assert seen == [change.event_id for change in reversed(changes)]


def test_history_without_entries_is_not_found(recorder: AuditRecorder, history: HistoryService) -> None:
    recorder.record(CREATED)

    with pytest.raises(ItemNotFoundError):
        history.item_history(owner="mallory", item_id=ITEM_ID, limit=10)
    with pytest.raises(ItemNotFoundError):
        history.item_history(owner="alice", item_id="01JAAAAAAAAAAAAAAAAAAAAAAA", limit=10)
    with pytest.raises(ItemNotFoundError):
        history.item_history(owner="alice", item_id="not-an-id", limit=10)


def test_history_of_an_unknown_or_foreign_item_is_not_found_with_a_valid_cursor_too(
    recorder: AuditRecorder, history: HistoryService
) -> None:
    for change in changes_of(3):
        recorder.record(change)
    alices_cursor = history.item_history(owner="alice", item_id=ITEM_ID, limit=1).next_cursor
    assert alices_cursor is not None
    mallorys_cursor = CursorCodec(lambda: b"k").encode("mallory", "2026-11-28T10:00:00Z#" + "9" * 40 + "#x")

    with pytest.raises(ItemNotFoundError):
        history.item_history(owner="alice", item_id="01JAAAAAAAAAAAAAAAAAAAAAAA", limit=1, cursor=alices_cursor)
    with pytest.raises(ItemNotFoundError):
        history.item_history(owner="mallory", item_id=ITEM_ID, limit=1, cursor=mallorys_cursor)


def test_the_page_after_the_last_entry_of_an_existing_item_is_empty(
    recorder: AuditRecorder, history: HistoryService
) -> None:
    recorder.record(CREATED)
    after_last = CursorCodec(lambda: b"k").encode("alice", "2026-11-28T09:00:00Z#" + "0" * 40 + "#x")

    page = history.item_history(owner="alice", item_id=ITEM_ID, limit=1, cursor=after_last)

    assert (page.events, page.next_cursor) == ([], None)


def test_foreign_or_tampered_cursors_are_refused(recorder: AuditRecorder, history: HistoryService) -> None:
    for change in changes_of(3):
        recorder.record(change)
    cursor = history.item_history(owner="alice", item_id=ITEM_ID, limit=1).next_cursor
    assert cursor is not None
    list_cursor = CursorCodec(lambda: b"k").encode("alice", ITEM_ID)  # an item list cursor: not a history position

    tampered = ("B" if cursor[0] == "A" else "A") + cursor[1:]

    for owner, bad in (("mallory", cursor), ("alice", tampered), ("alice", list_cursor)):
        with pytest.raises(InvalidCursorError):
            history.item_history(owner=owner, item_id=ITEM_ID, limit=1, cursor=bad)
