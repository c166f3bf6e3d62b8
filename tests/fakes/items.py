"""In-memory ItemRepository with the same semantics as the DynamoDB adapter (tests/contract proves it)."""

from datetime import datetime

from app.domain.errors import IdempotencyKeyReusedError, ItemNotFoundError, VersionMismatchError
from app.models.items import ItemCreate, ItemPublic, ItemUpdate
from app.services.items import ItemPage


class InMemoryItemRepository:
    def __init__(self) -> None:
        self._items: dict[tuple[str, str], ItemPublic] = {}
        self._creations: dict[tuple[str, str], ItemPublic] = {}
        self._deleted: set[tuple[str, str]] = set()  # the adapter's tombstones (kept for the test's life)

    def add(self, *, owner: str, item: ItemPublic, creation_key: str | None = None) -> ItemPublic:
        if (owner, item.id) in self._items:
            raise ValueError(f"item {item.id} exists")
        if creation_key is not None and (owner, creation_key) in self._creations:
            first = self._creations[(owner, creation_key)]
            fields = set(ItemCreate.model_fields)
            if first.model_dump(include=fields) != item.model_dump(include=fields):
                raise IdempotencyKeyReusedError()
            return first
        if creation_key is not None:
            self._creations[(owner, creation_key)] = item
        self._items[(owner, item.id)] = item
        return item

    def get(self, *, owner: str, item_id: str) -> ItemPublic:
        try:
            return self._items[(owner, item_id)]
        except KeyError:
            raise ItemNotFoundError() from None

    def list_newest_first(self, *, owner: str, limit: int, after_id: str | None) -> ItemPage:
        ids = sorted((item_id for key_owner, item_id in self._items if key_owner == owner), reverse=True)
        if after_id is not None:
            ids = [item_id for item_id in ids if item_id < after_id]
        page = [self._items[(owner, item_id)] for item_id in ids[: limit + 1]]
        return ItemPage(items=page[:limit], has_more=len(page) > limit)

    def replace(
        self, *, owner: str, item_id: str, fields: ItemUpdate, expected_version: int | None, updated_at: datetime
    ) -> ItemPublic:
        current = self._checked(owner, item_id, expected_version)
        replaced = current.model_copy(
            update={**fields.model_dump(), "version": current.version + 1, "updated_at": updated_at}
        )
        self._items[(owner, item_id)] = replaced
        return replaced

    def delete(self, *, owner: str, item_id: str, expected_version: int | None) -> None:
        self._checked(owner, item_id, expected_version)
        del self._items[(owner, item_id)]
        self._deleted.add((owner, item_id))

    def was_created(self, *, owner: str, item_id: str) -> bool:
        return (owner, item_id) in self._items or (owner, item_id) in self._deleted

    def _checked(self, owner: str, item_id: str, expected_version: int | None) -> ItemPublic:
        current = self.get(owner=owner, item_id=item_id)
        if expected_version is not None and current.version != expected_version:
            raise VersionMismatchError()
        return current
