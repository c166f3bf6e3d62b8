"""One set of repository cases, run against the DynamoDB adapter on moto and against the in-memory fake,
so the fake used by the unit tests cannot drift from the real behaviour."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from app.adapters.dynamodb_items import DynamoDBItemRepository
from app.domain.errors import IdempotencyKeyReusedError, ItemNotFoundError, VersionMismatchError
from app.domain.ids import new_item_id
from app.models.items import ItemPublic, ItemUpdate
from app.services.items import ItemRepository
from tests.fakes.items import InMemoryItemRepository

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)


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


def test_added_item_reads_back_equal(repository: ItemRepository) -> None:
    item = make_item(description="brass")
    repository.add(owner="alice", item=item)

    assert repository.get(owner="alice", item_id=item.id) == item


def test_items_are_invisible_to_other_owners(repository: ItemRepository) -> None:
    item = make_item()
    repository.add(owner="alice", item=item)

    with pytest.raises(ItemNotFoundError):
        repository.get(owner="bob", item_id=item.id)
    with pytest.raises(ItemNotFoundError):
        repository.delete(owner="bob", item_id=item.id, expected_version=None)
    with pytest.raises(ItemNotFoundError):
        repository.replace(
            owner="bob", item_id=item.id, fields=ItemUpdate(name="x"), expected_version=1, updated_at=LATER
        )
    assert repository.list_newest_first(owner="bob", limit=10, after_id=None).items == []


def test_replace_swaps_client_fields_and_bumps_version(repository: ItemRepository) -> None:
    item = make_item(description="brass")
    repository.add(owner="alice", item=item)

    replaced = repository.replace(
        owner="alice", item_id=item.id, fields=ItemUpdate(name="new", tags=["b"]), expected_version=1, updated_at=LATER
    )

    assert (replaced.name, replaced.description, replaced.price, replaced.tags) == ("new", None, None, ["b"])
    assert (replaced.version, replaced.created_at, replaced.updated_at) == (2, NOW, LATER)
    assert repository.get(owner="alice", item_id=item.id) == replaced


def test_replace_without_expected_version_takes_any_existing_version(repository: ItemRepository) -> None:
    item = make_item()
    repository.add(owner="alice", item=item)
    repository.replace(
        owner="alice", item_id=item.id, fields=ItemUpdate(name="b"), expected_version=1, updated_at=LATER
    )

    replaced = repository.replace(
        owner="alice", item_id=item.id, fields=ItemUpdate(name="c"), expected_version=None, updated_at=LATER
    )

    assert (replaced.name, replaced.version) == ("c", 3)
    with pytest.raises(ItemNotFoundError):
        repository.replace(
            owner="alice", item_id=new_item_id(), fields=ItemUpdate(name="x"), expected_version=None, updated_at=LATER
        )


def test_stale_version_is_refused_and_changes_nothing(repository: ItemRepository) -> None:
    item = make_item()
    repository.add(owner="alice", item=item)

    with pytest.raises(VersionMismatchError):
        repository.replace(
            owner="alice", item_id=item.id, fields=ItemUpdate(name="x"), expected_version=2, updated_at=LATER
        )
    with pytest.raises(VersionMismatchError):
        repository.delete(owner="alice", item_id=item.id, expected_version=3)
    assert repository.get(owner="alice", item_id=item.id) == item


def test_missing_item_is_not_found(repository: ItemRepository) -> None:
    with pytest.raises(ItemNotFoundError):
        repository.replace(
            owner="alice", item_id=new_item_id(), fields=ItemUpdate(name="x"), expected_version=1, updated_at=LATER
        )
    with pytest.raises(ItemNotFoundError):
        repository.delete(owner="alice", item_id=new_item_id(), expected_version=1)


def test_delete_removes_the_item(repository: ItemRepository) -> None:
    item = make_item()
    repository.add(owner="alice", item=item)

    repository.delete(owner="alice", item_id=item.id, expected_version=1)

    with pytest.raises(ItemNotFoundError):
        repository.get(owner="alice", item_id=item.id)


def test_pages_walk_newest_first_exactly_once(repository: ItemRepository) -> None:
    items = [make_item(name=f"n{n}") for n in range(5)]
    for item in items:
        repository.add(owner="alice", item=item)

    first = repository.list_newest_first(owner="alice", limit=2, after_id=None)
    second = repository.list_newest_first(owner="alice", limit=2, after_id=first.items[-1].id)
    last = repository.list_newest_first(owner="alice", limit=2, after_id=second.items[-1].id)

    assert [i.id for i in first.items + second.items + last.items] == [i.id for i in reversed(items)]
    assert (first.has_more, second.has_more, last.has_more) == (True, True, False)


def test_adds_under_one_creation_key_store_one_item_and_return_it(repository: ItemRepository) -> None:
    first = make_item(name="desk")

    stored = repository.add(owner="alice", item=first, creation_key="order-42")
    again = repository.add(owner="alice", item=make_item(name="desk"), creation_key="order-42")
    bobs = repository.add(owner="bob", item=make_item(name="desk"), creation_key="order-42")

    assert stored == again == first
    assert bobs != first
    assert repository.list_newest_first(owner="alice", limit=10, after_id=None).items == [first]


def test_a_creation_key_reused_with_other_fields_is_refused(repository: ItemRepository) -> None:
    repository.add(owner="alice", item=make_item(name="desk"), creation_key="order-42")

    with pytest.raises(IdempotencyKeyReusedError):
        repository.add(owner="alice", item=make_item(name="chair"), creation_key="order-42")
    assert len(repository.list_newest_first(owner="alice", limit=10, after_id=None).items) == 1


def test_a_deleted_item_stays_deleted_and_unlisted(repository: ItemRepository) -> None:
    item = make_item()
    repository.add(owner="alice", item=item, creation_key="k")
    repository.delete(owner="alice", item_id=item.id, expected_version=1)

    with pytest.raises(ItemNotFoundError):
        repository.delete(owner="alice", item_id=item.id, expected_version=None)
    assert repository.list_newest_first(owner="alice", limit=10, after_id=None).items == []


def test_an_item_was_created_while_it_exists_and_after_its_deletion_for_its_owner_only(
    repository: ItemRepository,
) -> None:
    item = make_item()
    repository.add(owner="alice", item=item)

    assert repository.was_created(owner="alice", item_id=item.id)
    repository.delete(owner="alice", item_id=item.id, expected_version=None)
    assert repository.was_created(owner="alice", item_id=item.id)
    assert not repository.was_created(owner="bob", item_id=item.id)
    assert not repository.was_created(owner="alice", item_id=new_item_id())
