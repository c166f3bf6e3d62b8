"""The owned-resource contract for a second kind (tests/support/kinds), in the table beside items: the storage and
the fake hold no assumption of items' (names, prefixes, attribute names), and two kinds never see each other."""

from typing import Any

import pytest

from app.adapters.dynamodb_items import DynamoDBItemRepository
from app.adapters.owned_record_format import OwnedRecordFormat
from app.adapters.owned_records import OwnedRecords
from app.domain.errors import ItemNotFoundError
from app.domain.ids import new_resource_id
from devstack.names import Names
from tests.integration.adapters.owned_repository_contract import LATER, NOW, ContractSpec, OwnedRepositoryContract
from tests.integration.adapters.test_item_repository_contract import make_item
from tests.support.kinds import PATRONS, PatronFields, PatronPublic


def make_patron(n: int, **fields: Any) -> PatronPublic:
    values = {"name": f"c{n}", "email_address": f"c{n}@example.com" if n else None, "id": new_resource_id()}
    return PatronPublic.model_validate(values | {"version": 1, "created_at": NOW, "updated_at": NOW} | fields)


PATRON_CONTRACT = ContractSpec(
    record_format=OwnedRecordFormat(PATRONS, PatronPublic),
    make=make_patron,
    update=lambda n: PatronFields(name=f"u{n}", email_address=f"u{n}@example.com" if n else None),
)


class TestPatronRepositoryContract(OwnedRepositoryContract):
    spec = PATRON_CONTRACT


def test_two_kinds_in_one_partition_never_read_list_or_delete_each_other(names: Names, dynamodb: Any) -> None:
    table = names["ItemsTable"]
    patrons = OwnedRecords(
        record_format=PATRON_CONTRACT.record_format, client=dynamodb, table_name=table, records_retention=LATER - NOW
    )
    items = DynamoDBItemRepository(client=dynamodb, table_name=table)
    item = make_item()
    patron = make_patron(1, id=item.id)  # the same id in both kinds
    items.add(owner="alice", item=item)
    patrons.add(owner="alice", record=patron)

    patrons.delete(owner="alice", record_id=item.id, expected_version=1)

    assert items.get(owner="alice", item_id=item.id) == item
    assert items.list_newest_first(owner="alice", limit=10, after_id=None).items == [item]
    assert patrons.list_newest_first(owner="alice", limit=10, after_id=None).items == []
    items.delete(owner="alice", item_id=item.id, expected_version=1)  # items' tombstone is not the patron's
    with pytest.raises(ItemNotFoundError):
        patrons.get(owner="alice", record_id=item.id)
    stored = dynamodb.get_item(TableName=table, Key={"pk": {"S": "OWNER#alice"}, "sk": {"S": f"DELETED#{item.id}"}})
    assert stored["Item"]["entity"] == {"S": "ItemDeletion"}
    # A deleted patron's tombstone says nothing about items: an item of that id was never created.
    gone = make_patron(2)
    patrons.add(owner="alice", record=gone)
    patrons.delete(owner="alice", record_id=gone.id, expected_version=None)
    assert patrons.was_created(owner="alice", record_id=gone.id)
    assert not items.was_created(owner="alice", item_id=gone.id)
