"""Item rules: ownership, versions, pagination. Storage arrives through the ItemRepository port."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from app.domain.clock import utc_now
from app.domain.cursors import CursorCodec
from app.domain.errors import InvalidCursorError, PreconditionRequiredError
from app.domain.pages import Page
from app.domain.preconditions import VersionCondition
from app.domain.resource_kinds import ITEMS
from app.models.items import ItemCreate, ItemPublic, ItemsPublic, ItemUpdate
from app.services.owned import OwnedRepository, check_id, expected_version

# One page of an owner's items, newest first.
ItemPage = Page[ItemPublic]


class ItemRepository(Protocol):
    """Storage of items, partitioned by owner. Raises ItemNotFoundError and VersionMismatchError."""

    def add(self, *, owner: str, item: ItemPublic, creation_key: str | None = None) -> ItemPublic:
        """Stores a new item and returns it. With a creation key, at most one item per (owner, key) in the replay
        window: a later add under the key stores nothing and returns the first item (another body: reuse error)."""

    def get(self, *, owner: str, item_id: str) -> ItemPublic: ...

    def list_newest_first(self, *, owner: str, limit: int, after_id: str | None) -> ItemPage: ...

    def replace(
        self, *, owner: str, item_id: str, fields: ItemUpdate, expected_version: int | None, updated_at: datetime
    ) -> ItemPublic:
        """Replaces the item if it exists and, unless expected_version is None, has that version."""

    def delete(self, *, owner: str, item_id: str, expected_version: int | None) -> None: ...

    def was_created(self, *, owner: str, item_id: str) -> bool:
        """Whether the item exists, or was deleted within the retention of its deletion record."""


class ItemRecords:
    """The ItemRepository port (item keywords) on one kind-generic OwnedRepository: the DynamoDB adapter and the
    in-memory fake are both this, on their own storage."""

    def __init__(self, records: OwnedRepository[ItemPublic]) -> None:
        self._records = records

    def add(self, *, owner: str, item: ItemPublic, creation_key: str | None = None) -> ItemPublic:
        return self._records.add(owner=owner, record=item, creation_key=creation_key)

    def get(self, *, owner: str, item_id: str) -> ItemPublic:
        return self._records.get(owner=owner, record_id=item_id)

    def list_newest_first(self, *, owner: str, limit: int, after_id: str | None) -> ItemPage:
        return self._records.list_newest_first(owner=owner, limit=limit, after_id=after_id)

    def replace(
        self, *, owner: str, item_id: str, fields: ItemUpdate, expected_version: int | None, updated_at: datetime
    ) -> ItemPublic:
        return self._records.replace(
            owner=owner, record_id=item_id, fields=fields, expected_version=expected_version, updated_at=updated_at
        )

    def delete(self, *, owner: str, item_id: str, expected_version: int | None) -> None:
        self._records.delete(owner=owner, record_id=item_id, expected_version=expected_version)

    def was_created(self, *, owner: str, item_id: str) -> bool:
        return self._records.was_created(owner=owner, record_id=item_id)


class IdempotentItemCreates(Protocol):
    """Creates an item at most once per (owner, idempotency key) within the replay window."""

    def register_lambda_context(self, context: Any) -> None: ...

    def create_item(self, *, owner: str, key: str, item_in: ItemCreate) -> ItemPublic: ...


class ItemService:
    def __init__(
        self,
        *,
        repository: ItemRepository,
        cursors: CursorCodec,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], str] = ITEMS.new_id,
    ) -> None:
        self._repository = repository
        self._cursors = cursors
        self._clock = clock
        self._new_id = new_id

    def create_item(self, *, owner: str, item_in: ItemCreate, creation_key: str | None = None) -> ItemPublic:
        """Creates an item; under a creation key (the client's Idempotency-Key), once per key whatever fails."""
        now = self._clock()
        item = ItemPublic(**item_in.model_dump(), id=self._new_id(), version=1, created_at=now, updated_at=now)
        return self._repository.add(owner=owner, item=item, creation_key=creation_key)

    def get_item(self, *, owner: str, item_id: str) -> ItemPublic:
        check_id(ITEMS, item_id)
        return self._repository.get(owner=owner, item_id=item_id)

    def list_items(self, *, owner: str, limit: int, cursor: str | None = None) -> ItemsPublic:
        after_id = None if cursor is None else self._cursors.decode(owner, cursor)
        if after_id is not None and not ITEMS.is_id(after_id):
            raise InvalidCursorError()
        page = self._repository.list_newest_first(owner=owner, limit=limit, after_id=after_id)
        next_cursor = self._cursors.encode(owner, page.items[-1].id) if page.has_more and page.items else None
        return ItemsPublic(items=page.items, next_cursor=next_cursor)

    def replace_item(
        self, *, owner: str, item_id: str, item_in: ItemUpdate, if_match: VersionCondition | None
    ) -> ItemPublic:
        if if_match is None:
            raise PreconditionRequiredError()
        check_id(ITEMS, item_id)
        return self._repository.replace(
            owner=owner,
            item_id=item_id,
            fields=item_in,
            expected_version=self._expected_version(owner, item_id, if_match),
            updated_at=self._clock(),
        )

    def delete_item(self, *, owner: str, item_id: str, if_match: VersionCondition | None = None) -> None:
        check_id(ITEMS, item_id)
        expected = None if if_match is None else self._expected_version(owner, item_id, if_match)
        self._repository.delete(owner=owner, item_id=item_id, expected_version=expected)

    def _expected_version(self, owner: str, item_id: str, if_match: VersionCondition) -> int | None:
        return expected_version(if_match, lambda: self._repository.get(owner=owner, item_id=item_id).version)
