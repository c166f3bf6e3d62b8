from datetime import UTC, datetime

import pytest

from app.domain.cursors import CursorCodec
from app.domain.errors import InvalidCursorError, ItemNotFoundError, PreconditionRequiredError, VersionMismatchError
from app.domain.preconditions import ANY_VERSION, VersionCondition
from app.models.items import ItemCreate, ItemUpdate
from app.services.items import ItemService
from tests.fakes.items import InMemoryItemRepository

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
VERSION_1 = VersionCondition(versions=frozenset({1}))


@pytest.fixture
def service() -> ItemService:
    return ItemService(repository=InMemoryItemRepository(), cursors=CursorCodec(lambda: b"k"), clock=lambda: NOW)


def test_create_sets_server_fields(service: ItemService) -> None:
    item = service.create_item(owner="alice", item_in=ItemCreate(name="a"))

    assert (item.version, item.created_at, item.updated_at) == (1, NOW, NOW)


def test_replace_needs_an_expected_version(service: ItemService) -> None:
    item = service.create_item(owner="alice", item_in=ItemCreate(name="a"))

    with pytest.raises(PreconditionRequiredError):
        service.replace_item(owner="alice", item_id=item.id, item_in=ItemUpdate(name="b"), if_match=None)


def test_replace_with_a_stale_version_fails(service: ItemService) -> None:
    item = service.create_item(owner="alice", item_in=ItemCreate(name="a"))
    service.replace_item(owner="alice", item_id=item.id, item_in=ItemUpdate(name="b"), if_match=VERSION_1)

    with pytest.raises(VersionMismatchError):
        service.replace_item(owner="alice", item_id=item.id, item_in=ItemUpdate(name="c"), if_match=VERSION_1)


def test_any_version_replaces_and_deletes_an_existing_item(service: ItemService) -> None:
    item = service.create_item(owner="alice", item_in=ItemCreate(name="a"))
    service.replace_item(owner="alice", item_id=item.id, item_in=ItemUpdate(name="b"), if_match=VERSION_1)

    replaced = service.replace_item(owner="alice", item_id=item.id, item_in=ItemUpdate(name="c"), if_match=ANY_VERSION)
    service.delete_item(owner="alice", item_id=item.id, if_match=ANY_VERSION)

    assert replaced.version == 3
    with pytest.raises(ItemNotFoundError):
        service.get_item(owner="alice", item_id=item.id)


def test_a_list_of_versions_matches_the_current_one(service: ItemService) -> None:
    item = service.create_item(owner="alice", item_in=ItemCreate(name="a"))
    current_or_older = VersionCondition(versions=frozenset({1, 3}))

    replaced = service.replace_item(
        owner="alice", item_id=item.id, item_in=ItemUpdate(name="b"), if_match=current_or_older
    )

    assert replaced.version == 2
    with pytest.raises(VersionMismatchError):
        service.delete_item(owner="alice", item_id=item.id, if_match=current_or_older)


def test_a_condition_naming_no_version_fails_on_an_existing_item_and_is_404_on_a_missing_one(
    service: ItemService,
) -> None:
    item = service.create_item(owner="alice", item_in=ItemCreate(name="a"))

    with pytest.raises(VersionMismatchError):
        service.replace_item(owner="alice", item_id=item.id, item_in=ItemUpdate(name="b"), if_match=VersionCondition())
    with pytest.raises(ItemNotFoundError):
        service.delete_item(owner="bob", item_id=item.id, if_match=VersionCondition())
    with pytest.raises(ItemNotFoundError):
        service.replace_item(owner="alice", item_id="0" * 26, item_in=ItemUpdate(name="b"), if_match=ANY_VERSION)


def test_owners_cannot_reach_each_others_items(service: ItemService) -> None:
    item = service.create_item(owner="alice", item_in=ItemCreate(name="a"))

    with pytest.raises(ItemNotFoundError):
        service.get_item(owner="bob", item_id=item.id)
    with pytest.raises(ItemNotFoundError):
        service.delete_item(owner="bob", item_id=item.id)


def test_a_signed_cursor_that_is_not_an_item_id_is_refused(service: ItemService) -> None:
    forged = CursorCodec(lambda: b"k").encode("alice", "ITEM#../../x")

    with pytest.raises(InvalidCursorError):
        service.list_items(owner="alice", limit=5, cursor=forged)


def test_last_page_has_no_cursor(service: ItemService) -> None:
    for name in "abc":
        service.create_item(owner="alice", item_in=ItemCreate(name=name))

    page = service.list_items(owner="alice", limit=3)

    assert [item.name for item in page.items] == ["c", "b", "a"]
    assert page.next_cursor is None
