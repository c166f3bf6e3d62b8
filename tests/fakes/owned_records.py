"""In-memory storage of any owned resource, with the semantics of app.adapters.owned_records (the contract suite,
tests/integration/adapters/owned_repository_contract.py, runs the same cases against both)."""

from datetime import datetime
from typing import Any

from app.adapters.owned_record_format import VersionedModel
from app.domain.errors import IdempotencyKeyReusedError, VersionMismatchError
from app.domain.pages import Page
from app.domain.resources import ResourceKind
from app.services.owned import ClientFields


class InMemoryOwnedRecords[Public: VersionedModel]:
    def __init__(self, kind: ResourceKind) -> None:
        self._kind = kind
        self._records: dict[tuple[str, str], Public] = {}
        self._creations: dict[tuple[str, str], Public] = {}
        self._deleted: set[tuple[str, str]] = set()  # the adapter's tombstones (kept for the test's life)

    def add(self, *, owner: str, record: Public, creation_key: str | None = None) -> Public:
        key = (owner, record.id)
        if key in self._records:
            raise ValueError(f"{self._kind.noun} {key[1]} exists")
        if creation_key is not None and (owner, creation_key) in self._creations:
            first = self._creations[(owner, creation_key)]
            if self._client_fields(first) != self._client_fields(record):
                raise IdempotencyKeyReusedError()
            return first
        if creation_key is not None:
            self._creations[(owner, creation_key)] = record
        self._records[key] = record
        return record

    def get(self, *, owner: str, record_id: str) -> Public:
        try:
            return self._records[(owner, record_id)]
        except KeyError:
            raise self._kind.not_found() from None

    def list_newest_first(self, *, owner: str, limit: int, after_id: str | None) -> Page[Public]:
        ids = sorted((record_id for key_owner, record_id in self._records if key_owner == owner), reverse=True)
        if after_id is not None:
            ids = [record_id for record_id in ids if record_id < after_id]
        page = [self._records[(owner, record_id)] for record_id in ids[: limit + 1]]
        return Page(items=page[:limit], has_more=len(page) > limit)

    def replace(
        self, *, owner: str, record_id: str, fields: ClientFields, expected_version: int | None, updated_at: datetime
    ) -> Public:
        current = self._checked(owner, record_id, expected_version)
        values = fields.model_dump(by_alias=True)
        document = current.model_dump(by_alias=True) | {name: values[name] for name in self._client}
        # The stored attribute names the adapter's UpdateExpression sets besides the client fields.
        document |= {"version": current.version + 1, "updatedAt": updated_at}
        replaced = type(current).model_validate(document, by_alias=True)
        self._records[(owner, record_id)] = replaced
        return replaced

    def delete(self, *, owner: str, record_id: str, expected_version: int | None) -> None:
        self._checked(owner, record_id, expected_version)
        del self._records[(owner, record_id)]
        self._deleted.add((owner, record_id))

    def was_created(self, *, owner: str, record_id: str) -> bool:
        return (owner, record_id) in self._records or (owner, record_id) in self._deleted

    @property
    def _client(self) -> tuple[str, ...]:
        return self._kind.client_fields

    def _client_fields(self, record: Public) -> dict[str, Any]:
        return {name: value for name, value in record.model_dump(by_alias=True).items() if name in self._client}

    def _checked(self, owner: str, record_id: str, expected_version: int | None) -> Public:
        current = self.get(owner=owner, record_id=record_id)
        if expected_version is not None and current.version != expected_version:
            raise VersionMismatchError()
        return current
