"""The repository contract of every owned resource: one set of cases, run against the DynamoDB storage on moto and
against the in-memory fake, so the fake used by the unit tests cannot drift from the real behaviour.

A resource runs it with one class: `class TestXContract(OwnedRepositoryContract): spec = ContractSpec(...)`.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest

from app.adapters.owned_record_format import OwnedRecordFormat, VersionedModel
from app.adapters.owned_records import OwnedRecords
from app.domain.errors import IdempotencyKeyReusedError, VersionMismatchError
from app.services.owned import ClientFields, OwnedRepository
from tests.fakes.owned_records import InMemoryOwnedRecords

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)


@dataclass(frozen=True)
class ContractSpec[Public: VersionedModel]:
    record_format: OwnedRecordFormat[Public]
    # A new record (a fresh id, version 1, created and updated at NOW) whose client fields are sample n: samples
    # with different n differ in their client fields, the same n gives the same fields.
    make: Callable[[int], Public]
    update: Callable[[int], ClientFields]  # a replacement body with sample n's client fields
    table: str = "ItemsTable"

    def client_fields(self, values: Public | ClientFields) -> dict[str, Any]:
        fields = values.model_dump(by_alias=True)
        return {name: fields[name] for name in self.record_format.kind.client_fields}


class OwnedRepositoryContract:
    spec: ClassVar[ContractSpec[Any]]

    @pytest.fixture(params=["dynamodb", "in-memory"])
    def records(self, request: pytest.FixtureRequest) -> Iterator[OwnedRepository[Any]]:
        if request.param == "in-memory":
            yield InMemoryOwnedRecords[Any](self.spec.record_format.kind)
            return
        names, dynamodb = request.getfixturevalue("names"), request.getfixturevalue("dynamodb")
        yield OwnedRecords(
            record_format=self.spec.record_format,
            client=dynamodb,
            table_name=names[self.spec.table],
            records_retention=LATER - NOW,
        )

    @property
    def not_found(self) -> type[Exception]:
        return self.spec.record_format.kind.not_found

    def test_an_added_record_reads_back_equal(self, records: OwnedRepository[Any]) -> None:
        record = self.spec.make(1)
        records.add(owner="alice", record=record)

        assert records.get(owner="alice", record_id=record.id) == record

    def test_records_are_invisible_to_other_owners(self, records: OwnedRepository[Any]) -> None:
        record = self.spec.make(0)
        records.add(owner="alice", record=record)

        with pytest.raises(self.not_found):
            records.get(owner="bob", record_id=record.id)
        with pytest.raises(self.not_found):
            records.delete(owner="bob", record_id=record.id, expected_version=None)
        with pytest.raises(self.not_found):
            records.replace(
                owner="bob", record_id=record.id, fields=self.spec.update(1), expected_version=1, updated_at=LATER
            )
        assert records.list_newest_first(owner="bob", limit=10, after_id=None).items == []

    def test_replace_sets_the_client_fields_and_bumps_the_version(self, records: OwnedRepository[Any]) -> None:
        record = self.spec.make(1)
        records.add(owner="alice", record=record)

        replaced = records.replace(
            owner="alice", record_id=record.id, fields=self.spec.update(2), expected_version=1, updated_at=LATER
        )

        assert self.spec.client_fields(replaced) == self.spec.client_fields(self.spec.update(2))
        assert replaced.version == 2
        assert records.get(owner="alice", record_id=record.id) == replaced

    def test_replace_without_expected_version_takes_any_existing_version(self, records: OwnedRepository[Any]) -> None:
        record = self.spec.make(0)
        records.add(owner="alice", record=record)
        update = self.spec.update
        records.replace(owner="alice", record_id=record.id, fields=update(1), expected_version=1, updated_at=LATER)

        replaced = records.replace(
            owner="alice", record_id=record.id, fields=update(2), expected_version=None, updated_at=LATER
        )

        assert (self.spec.client_fields(replaced), replaced.version) == (self.spec.client_fields(update(2)), 3)
        missing = self.spec.make(0).id
        with pytest.raises(self.not_found):
            records.replace(owner="alice", record_id=missing, fields=update(1), expected_version=None, updated_at=LATER)

    def test_a_stale_version_is_refused_and_changes_nothing(self, records: OwnedRepository[Any]) -> None:
        record = self.spec.make(0)
        records.add(owner="alice", record=record)

        with pytest.raises(VersionMismatchError):
            records.replace(
                owner="alice", record_id=record.id, fields=self.spec.update(1), expected_version=2, updated_at=LATER
            )
        with pytest.raises(VersionMismatchError):
            records.delete(owner="alice", record_id=record.id, expected_version=3)
        assert records.get(owner="alice", record_id=record.id) == record

    def test_a_missing_record_is_not_found(self, records: OwnedRepository[Any]) -> None:
        missing = self.spec.make(0).id
        with pytest.raises(self.not_found):
            records.replace(
                owner="alice", record_id=missing, fields=self.spec.update(1), expected_version=1, updated_at=LATER
            )
        with pytest.raises(self.not_found):
            records.delete(owner="alice", record_id=missing, expected_version=1)

    def test_delete_removes_the_record(self, records: OwnedRepository[Any]) -> None:
        record = self.spec.make(0)
        records.add(owner="alice", record=record)

        records.delete(owner="alice", record_id=record.id, expected_version=1)

        with pytest.raises(self.not_found):
            records.get(owner="alice", record_id=record.id)

    def test_pages_walk_newest_first_exactly_once(self, records: OwnedRepository[Any]) -> None:
        added = [self.spec.make(n) for n in range(5)]
        for record in added:
            records.add(owner="alice", record=record)

        first = records.list_newest_first(owner="alice", limit=2, after_id=None)
        second = records.list_newest_first(owner="alice", limit=2, after_id=first.items[-1].id)
        last = records.list_newest_first(owner="alice", limit=2, after_id=second.items[-1].id)

        assert [r.id for r in first.items + second.items + last.items] == [r.id for r in reversed(added)]
        assert (first.has_more, second.has_more, last.has_more) == (True, True, False)

    def test_adds_under_one_creation_key_store_one_record_and_return_it(self, records: OwnedRepository[Any]) -> None:
        first = self.spec.make(0)

        stored = records.add(owner="alice", record=first, creation_key="order-42")
        again = records.add(owner="alice", record=self.spec.make(0), creation_key="order-42")
        bobs = records.add(owner="bob", record=self.spec.make(0), creation_key="order-42")

        assert stored == again == first
        assert bobs != first
        assert records.list_newest_first(owner="alice", limit=10, after_id=None).items == [first]

    def test_a_creation_key_reused_with_other_fields_is_refused(self, records: OwnedRepository[Any]) -> None:
        records.add(owner="alice", record=self.spec.make(0), creation_key="order-42")

        with pytest.raises(IdempotencyKeyReusedError):
            records.add(owner="alice", record=self.spec.make(1), creation_key="order-42")
        assert len(records.list_newest_first(owner="alice", limit=10, after_id=None).items) == 1

    def test_a_deleted_record_stays_deleted_and_unlisted(self, records: OwnedRepository[Any]) -> None:
        record = self.spec.make(0)
        records.add(owner="alice", record=record, creation_key="k")
        records.delete(owner="alice", record_id=record.id, expected_version=1)

        with pytest.raises(self.not_found):
            records.delete(owner="alice", record_id=record.id, expected_version=None)
        assert records.list_newest_first(owner="alice", limit=10, after_id=None).items == []

    def test_a_record_was_created_while_it_exists_and_after_its_deletion_for_its_owner_only(
        self, records: OwnedRepository[Any]
    ) -> None:
        record = self.spec.make(0)
        records.add(owner="alice", record=record)

        assert records.was_created(owner="alice", record_id=record.id)
        records.delete(owner="alice", record_id=record.id, expected_version=None)
        assert records.was_created(owner="alice", record_id=record.id)
        assert not records.was_created(owner="bob", record_id=record.id)
        assert not records.was_created(owner="alice", record_id=self.spec.make(0).id)
