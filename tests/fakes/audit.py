"""In-memory AuditLog with the same semantics as the DynamoDB adapter (tests/integration/adapters proves it)."""

from datetime import datetime

from app.models.history import HistoryEvent
from app.services.history import HistoryPage


class InMemoryAuditLog:
    def __init__(self) -> None:
        # (owner, item id) -> position -> event; expiry is DynamoDB's business, so it is only kept here.
        self._entries: dict[tuple[str, str], dict[str, HistoryEvent]] = {}
        self.expiries: dict[str, datetime] = {}

    def append(self, *, owner: str, item_id: str, position: str, event: HistoryEvent, expires_at: datetime) -> None:
        history = self._entries.setdefault((owner, item_id), {})
        if position not in history:
            history[position] = event
            self.expiries[position] = expires_at

    def list_newest_first(self, *, owner: str, item_id: str, limit: int, after: str | None) -> HistoryPage:
        history = self._entries.get((owner, item_id), {})
        positions = sorted(history, reverse=True)
        if after is not None:
            positions = [position for position in positions if position < after]
        page = positions[:limit]
        next_position = page[-1] if len(positions) > limit else None
        return HistoryPage(events=[history[position] for position in page], next_position=next_position)

    def entries(self) -> list[HistoryEvent]:
        """Every stored entry, for assertions."""
        return [event for history in self._entries.values() for event in history.values()]
