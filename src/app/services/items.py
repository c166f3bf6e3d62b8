"""Item rules: ownership, versions, pagination. Storage arrives through the ItemRepository port."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from app.domain.clock import utc_now
from app.domain.cursors import CursorCodec
from app.domain.errors import InvalidCursorError, ItemNotFoundError, PreconditionRequiredError, VersionMismatchError
from app.domain.ids import is_item_id, new_item_id
from app.domain.preconditions import VersionCondition
from app.domain.resources import Page
from app.models.items import ItemCreate, ItemPublic, ItemsPublic, ItemUpdate

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
        new_id: Callable[[], str] = new_item_id,
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
        self._check_id(item_id)
        return self._repository.get(owner=owner, item_id=item_id)

    def list_items(self, *, owner: str, limit: int, cursor: str | None = None) -> ItemsPublic:
        after_id = None if cursor is None else self._cursors.decode(owner, cursor)
        if after_id is not None and not is_item_id(after_id):
            raise InvalidCursorError()
        page = self._repository.list_newest_first(owner=owner, limit=limit, after_id=after_id)
        next_cursor = self._cursors.encode(owner, page.items[-1].id) if page.has_more and page.items else None
        return ItemsPublic(items=page.items, next_cursor=next_cursor)

    def replace_item(
        self, *, owner: str, item_id: str, item_in: ItemUpdate, if_match: VersionCondition | None
    ) -> ItemPublic:
        if if_match is None:
            raise PreconditionRequiredError()
        self._check_id(item_id)
        return self._repository.replace(
            owner=owner,
            item_id=item_id,
            fields=item_in,
            expected_version=self._expected_version(owner, item_id, if_match),
            updated_at=self._clock(),
        )

    def delete_item(self, *, owner: str, item_id: str, if_match: VersionCondition | None = None) -> None:
        self._check_id(item_id)
        expected = None if if_match is None else self._expected_version(owner, item_id, if_match)
        self._repository.delete(owner=owner, item_id=item_id, expected_version=expected)

    def _expected_version(self, owner: str, item_id: str, if_match: VersionCondition) -> int | None:
        """The version the conditional write must find: None for `*`, which any existing version satisfies.

        A single version is checked by the write itself. No version, or several, take a read first: the write
        then expects the version read, so a change in between answers 412 like any other stale tag.
        """
        if if_match.any_version:
            return None
        if len(if_match.versions) == 1:
            return next(iter(if_match.versions))
        current = self._repository.get(owner=owner, item_id=item_id)  # a missing item is 404 whatever the tags
        if current.version not in if_match.versions:
            raise VersionMismatchError()
        return current.version

    @staticmethod
    def _check_id(item_id: str) -> None:
        # A malformed id cannot exist: answer 404 without a round trip to DynamoDB.
        if not is_item_id(item_id):
            raise ItemNotFoundError()
