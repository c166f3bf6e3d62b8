"""Audit trail rules: recording item changes (stream function) and reading an item's history (API).

Storage arrives through the AuditLog port, which only appends: nothing here can change or remove an entry.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from app.domain.audit import ItemChange, changed_fields, history_position, is_history_position
from app.domain.cursors import CursorCodec
from app.domain.errors import InvalidCursorError, ItemNotFoundError
from app.domain.ids import is_item_id
from app.models.history import FieldChange, HistoryEvent, ItemHistoryPublic


@dataclass(frozen=True)
class HistoryPage:
    events: list[HistoryEvent]
    next_position: str | None  # position of the last event when another page follows, else None


class AuditLog(Protocol):
    """Append-only storage of audit entries; one item's history is read newest first."""

    def append(self, *, owner: str, item_id: str, position: str, event: HistoryEvent, expires_at: datetime) -> None:
        """Stores the entry unless one already exists at that position (a replayed record): never overwrites."""

    def list_newest_first(self, *, owner: str, item_id: str, limit: int, after: str | None) -> HistoryPage: ...


class AuditRecorder:
    """Turns each change read from the items table's stream into one audit entry."""

    def __init__(self, *, log: AuditLog, retention: timedelta) -> None:
        self._log = log
        self._retention = retention

    def record(self, change: ItemChange) -> None:
        changes = changed_fields(change.old, change.new)
        event = HistoryEvent(
            event_id=change.event_id,
            type=change.type,
            at=change.at,
            actor=change.actor,
            changes={name: FieldChange(old=values.old, new=values.new) for name, values in changes.items()},
        )
        self._log.append(
            owner=change.owner,
            item_id=change.item_id,
            position=history_position(change),
            event=event,
            # Counted from the change, not from when it was recorded, so a replay cannot extend the retention.
            expires_at=change.at + self._retention,
        )


class HistoryService:
    def __init__(self, *, log: AuditLog, cursors: CursorCodec) -> None:
        self._log = log
        self._cursors = cursors

    def item_history(self, *, owner: str, item_id: str, limit: int, cursor: str | None = None) -> ItemHistoryPublic:
        # A malformed id never had a history: answer 404 without a round trip to DynamoDB.
        if not is_item_id(item_id):
            raise ItemNotFoundError()
        after = None if cursor is None else self._cursors.decode(owner, cursor)
        if after is not None and not is_history_position(after):
            raise InvalidCursorError()
        page = self._log.list_newest_first(owner=owner, item_id=item_id, limit=limit, after=after)
        # Histories are keyed by owner, so another owner's item has none here and looks exactly like an unknown id.
        # A cursor is not bound to an item: an empty page after one says nothing until the first page is checked.
        if not page.events and (after is None or not self._has_history(owner, item_id)):
            raise ItemNotFoundError()
        next_cursor = None if page.next_position is None else self._cursors.encode(owner, page.next_position)
        return ItemHistoryPublic(events=page.events, next_cursor=next_cursor)

    def _has_history(self, owner: str, item_id: str) -> bool:
        return bool(self._log.list_newest_first(owner=owner, item_id=item_id, limit=1, after=None).events)
