"""Reading an item's audit history (API). Storage arrives through the AuditLog port (app.services.audit)."""

from app.domain.audit import HistoryEntry, is_history_position
from app.domain.cursors import CursorCodec
from app.domain.errors import InvalidCursorError, ItemNotFoundError
from app.domain.resource_kinds import ITEMS
from app.models.history import FieldChange, HistoryEvent, ItemHistoryPublic
from app.services.audit import AuditLog
from app.services.items import ItemRepository


def public_event(entry: HistoryEntry) -> HistoryEvent:
    changes = {name: FieldChange(old=values.old, new=values.new) for name, values in entry.changes.items()}
    return HistoryEvent(event_id=entry.event_id, type=entry.type, at=entry.at, actor=entry.actor, changes=changes)


class HistoryService:
    def __init__(self, *, log: AuditLog, items: ItemRepository, cursors: CursorCodec) -> None:
        self._log = log
        self._items = items
        self._cursors = cursors

    def item_history(self, *, owner: str, item_id: str, limit: int, cursor: str | None = None) -> ItemHistoryPublic:
        # A malformed id never had a history: answer 404 without a round trip to DynamoDB.
        if not ITEMS.is_id(item_id):
            raise ItemNotFoundError()
        after = None if cursor is None else self._cursors.decode(owner, cursor)
        if after is not None and not is_history_position(after):
            raise InvalidCursorError()
        page = self._log.list_newest_first(kind=ITEMS, owner=owner, item_id=item_id, limit=limit, after=after)
        if not page.entries and not self._is_known(owner, item_id, first_page=after is None):
            raise ItemNotFoundError()
        next_cursor = None if page.next_position is None else self._cursors.encode(owner, page.next_position)
        return ItemHistoryPublic(events=[public_event(entry) for entry in page.entries], next_cursor=next_cursor)

    def _is_known(self, owner: str, item_id: str, *, first_page: bool) -> bool:
        """Whether an empty page belongs to an item of this owner. A cursor is not bound to an item: an empty page
        after one says nothing until the first page is checked. The stream delivers entries after the write
        (minutes later while the audit function retries): an item that exists, or was deleted, has a history of
        no entries so far. Keyed by owner, another owner's item looks exactly like an unknown id."""
        if (
            not first_page
            and self._log.list_newest_first(kind=ITEMS, owner=owner, item_id=item_id, limit=1, after=None).entries
        ):
            return True
        return self._items.was_created(owner=owner, item_id=item_id)
