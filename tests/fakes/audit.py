"""In-memory AuditLog with the same semantics as the DynamoDB adapter (tests/integration/adapters proves it)."""

from datetime import datetime

from app.domain.audit import HistoryEntry
from app.domain.resources import ResourceKind
from app.services.audit import HistoryPage


class InMemoryAuditLog:
    def __init__(self) -> None:
        # (entity, owner, id) -> position -> entry; expiry is DynamoDB's business, so it is only kept here.
        self._entries: dict[tuple[str, str, str], dict[str, HistoryEntry]] = {}
        self.expiries: dict[str, datetime] = {}

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
        history = self._entries.setdefault((kind.entity, owner, item_id), {})
        if position not in history:
            history[position] = entry
            self.expiries[position] = expires_at

    def list_newest_first(
        self, *, kind: ResourceKind, owner: str, item_id: str, limit: int, after: str | None
    ) -> HistoryPage:
        history = self._entries.get((kind.entity, owner, item_id), {})
        positions = sorted(history, reverse=True)
        if after is not None:
            positions = [position for position in positions if position < after]
        page = positions[:limit]
        next_position = page[-1] if len(positions) > limit else None
        return HistoryPage(entries=[history[position] for position in page], next_position=next_position)

    def entries(self) -> list[HistoryEntry]:
        """Every stored entry, for assertions."""
        return [entry for history in self._entries.values() for entry in history.values()]
