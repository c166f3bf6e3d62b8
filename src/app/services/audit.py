"""Recording resource changes (the stream function): one audit entry per change, through the append-only AuditLog.

Nothing here imports pydantic: the audit function validates no client input and keeps its cold start small.
"""

from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from app.domain.audit import HistoryEntry, ResourceChange, changed_fields, history_position
from app.domain.resources import ResourceKind


class HistoryPage(NamedTuple):
    entries: list[HistoryEntry]
    next_position: str | None  # position of the last entry when another page follows, else None


class AuditLog(Protocol):
    """Append-only storage of audit entries, one history per (kind, owner, id); a history is read newest first."""

    def append(
        self,
        *,
        kind: ResourceKind,
        owner: str,
        item_id: str,
        position: str,
        entry: HistoryEntry,
        expires_at: datetime,
    ) -> None:
        """Stores the entry unless one already exists at that position (a replayed record): never overwrites."""

    def list_newest_first(
        self, *, kind: ResourceKind, owner: str, item_id: str, limit: int, after: str | None
    ) -> HistoryPage: ...


class AuditRecorder:
    """Turns each change read from the table's stream, of any registered kind, into one audit entry."""

    def __init__(self, *, log: AuditLog, retention: timedelta) -> None:
        self._log = log
        self._retention = retention

    def record(self, change: ResourceChange) -> None:
        entry = HistoryEntry(
            event_id=change.event_id,
            type=change.type,
            at=change.at,
            actor=change.actor,
            changes=changed_fields(change.old, change.new),
        )
        self._log.append(
            kind=change.kind,
            owner=change.owner,
            item_id=change.item_id,
            position=history_position(change),
            entry=entry,
            # Counted from the change, not from when it was recorded, so a replay cannot extend the retention.
            expires_at=change.at + self._retention,
        )
