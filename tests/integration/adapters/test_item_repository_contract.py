"""Items' repository contract: the owned-resource suite (owned_repository_contract) for the ITEMS kind, and what is
items' own (their client fields), against the DynamoDB adapter on moto and against the in-memory fake."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from app.adapters.dynamodb_items import DynamoDBItemRepository
from app.adapters.item_format import ITEM_FORMAT
from app.domain.ids import new_item_id
from app.models.items import ItemPublic, ItemUpdate
from app.services.items import ItemRepository
from tests.fakes.items import InMemoryItemRepository
from tests.integration.adapters.owned_repository_contract import LATER, NOW, ContractSpec, OwnedRepositoryContract


@pytest.fixture(params=["dynamodb", "in-memory"])
def repository(request: pytest.FixtureRequest) -> Iterator[ItemRepository]:
    if request.param == "in-memory":
        yield InMemoryItemRepository()
        return
    names = request.getfixturevalue("names")
    dynamodb = request.getfixturevalue("dynamodb")
    yield DynamoDBItemRepository(client=dynamodb, table_name=names["ItemsTable"])


def make_item(**fields: Any) -> ItemPublic:
    values = {"name": "lamp", "price": Decimal("12.50"), "tags": ["a"], "id": new_item_id(), "version": 1}
    return ItemPublic.model_validate(values | {"created_at": NOW, "updated_at": NOW} | fields)


def test_replace_swaps_client_fields_and_bumps_version(repository: ItemRepository) -> None:
    item = make_item(description="brass")
    repository.add(owner="alice", item=item)

    replaced = repository.replace(
        owner="alice", item_id=item.id, fields=ItemUpdate(name="new", tags=["b"]), expected_version=1, updated_at=LATER
    )

    assert (replaced.name, replaced.description, replaced.price, replaced.tags) == ("new", None, None, ["b"])
    assert (replaced.version, replaced.created_at, replaced.updated_at) == (2, NOW, LATER)
    assert repository.get(owner="alice", item_id=item.id) == replaced


# Sample n: a distinct name, and a description from sample 1 on (the create and replace differ in more than a name).
ITEM_CONTRACT = ContractSpec(
    record_format=ITEM_FORMAT,
    make=lambda n: make_item(name=f"n{n}", description="brass" if n else None),
    update=lambda n: ItemUpdate(name=f"u{n}", tags=["b"] if n else []),
)


class TestItemRepositoryContract(OwnedRepositoryContract):
    spec = ITEM_CONTRACT
