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
from tests.support.kinds import CUSTOMERS, CustomerFields, CustomerPublic


def make_customer(n: int, **fields: Any) -> CustomerPublic:
    values = {"name": f"c{n}", "email_address": f"c{n}@example.com" if n else None, "id": new_resource_id()}
    return CustomerPublic.model_validate(values | {"version": 1, "created_at": NOW, "updated_at": NOW} | fields)


CUSTOMER_CONTRACT = ContractSpec(
    record_format=OwnedRecordFormat(CUSTOMERS, CustomerPublic),
    make=make_customer,
    update=lambda n: CustomerFields(name=f"u{n}", email_address=f"u{n}@example.com" if n else None),
)


class TestCustomerRepositoryContract(OwnedRepositoryContract):
    spec = CUSTOMER_CONTRACT


def test_two_kinds_in_one_partition_never_read_list_or_delete_each_other(names: Names, dynamodb: Any) -> None:
    table = names["ItemsTable"]
    customers = OwnedRecords(
        record_format=CUSTOMER_CONTRACT.record_format, client=dynamodb, table_name=table, records_retention=LATER - NOW
    )
    items = DynamoDBItemRepository(client=dynamodb, table_name=table)
    item = make_item()
    customer = make_customer(1, id=item.id)  # the same id in both kinds
    items.add(owner="alice", item=item)
    customers.add(owner="alice", record=customer)

    customers.delete(owner="alice", record_id=item.id, expected_version=1)

    assert items.get(owner="alice", item_id=item.id) == item
    assert items.list_newest_first(owner="alice", limit=10, after_id=None).items == [item]
    assert customers.list_newest_first(owner="alice", limit=10, after_id=None).items == []
    items.delete(owner="alice", item_id=item.id, expected_version=1)  # items' tombstone is not the customer's
    with pytest.raises(ItemNotFoundError):
        customers.get(owner="alice", record_id=item.id)
    stored = dynamodb.get_item(TableName=table, Key={"pk": {"S": "OWNER#alice"}, "sk": {"S": f"DELETED#{item.id}"}})
    assert stored["Item"]["entity"] == {"S": "ItemDeletion"}
    # A deleted customer's tombstone says nothing about items: an item of that id was never created.
    gone = make_customer(2)
    customers.add(owner="alice", record=gone)
    customers.delete(owner="alice", record_id=gone.id, expected_version=None)
    assert customers.was_created(owner="alice", record_id=gone.id)
    assert not items.was_created(owner="alice", item_id=gone.id)
