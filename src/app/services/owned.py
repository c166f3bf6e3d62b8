"""Rules every owned, versioned resource shares, and the storage port they use (OwnedRepository).

A resource's own service keeps what is its own (building a new record from the client's fields, its routes'
answers); which ids can exist and which version a conditional write must find are the same for every kind.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from app.domain.errors import VersionMismatchError
from app.domain.pages import Page
from app.domain.preconditions import VersionCondition
from app.domain.resources import ResourceKind


class VersionedRecord(Protocol):
    """A resource as its routes answer it: an id and a version (its ETag)."""

    @property
    def id(self) -> str: ...

    @property
    def version(self) -> int: ...


class ClientFields(Protocol):
    """A replacement's body (a pydantic model): the client fields it sets, None where it removes one."""

    def model_dump(self, *, by_alias: bool | None = ...) -> dict[str, Any]: ...


class OwnedRepository[Public](Protocol):
    """Storage of one kind's records, partitioned by owner. Raises the kind's not-found error and
    VersionMismatchError (adapters/owned_records on DynamoDB, tests/fakes/owned_records in memory)."""

    def add(self, *, owner: str, record: Public, creation_key: str | None = None) -> Public:
        """Stores a new record and returns it. With a creation key, at most one record per (owner, key) in the
        replay window: a later add under the key stores nothing and returns the first (other fields: reuse error)."""

    def get(self, *, owner: str, record_id: str) -> Public: ...

    def list_newest_first(self, *, owner: str, limit: int, after_id: str | None) -> Page[Public]: ...

    def replace(
        self, *, owner: str, record_id: str, fields: ClientFields, expected_version: int | None, updated_at: datetime
    ) -> Public:
        """Replaces the client fields if the record exists and, unless expected_version is None, has that version."""

    def delete(self, *, owner: str, record_id: str, expected_version: int | None) -> None: ...

    def was_created(self, *, owner: str, record_id: str) -> bool:
        """Whether the record exists, or was deleted within the retention of its tombstone."""


def check_id(kind: ResourceKind, record_id: str) -> None:
    # A malformed id cannot exist: answer 404 without a round trip to DynamoDB.
    if not kind.is_id(record_id):
        raise kind.not_found()


def expected_version(if_match: VersionCondition, current_version: Callable[[], int]) -> int | None:
    """The version the conditional write must find: None for `*`, which any existing version satisfies.

    A single version is checked by the write itself. No version, or several, take a read first (`current_version`,
    which raises the kind's not-found error: a missing record is 404 whatever the tags): the write then expects the
    version read, so a change in between answers 412 like any other stale tag.
    """
    if if_match.any_version:
        return None
    if len(if_match.versions) == 1:
        return next(iter(if_match.versions))
    current = current_version()
    if current not in if_match.versions:
        raise VersionMismatchError()
    return current
