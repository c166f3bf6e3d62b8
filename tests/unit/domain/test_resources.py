"""The registry of owned resources: names and key prefixes unique by construction."""

from typing import Any

import pytest

from app.domain.resource_kinds import ITEMS, JOBS, RESOURCES
from app.domain.resources import DuplicateResourceError, ResourceRegistry
from tests.support.kinds import PATRONS


def test_a_second_resource_with_names_of_its_own_is_accepted() -> None:
    registry = ResourceRegistry((ITEMS, PATRONS), others=(JOBS,))

    assert registry.kind_of("Patron") is PATRONS
    assert registry.kind_of("Item") is ITEMS
    assert registry.is_bookkeeping("PatronDeletion")
    assert registry.is_bookkeeping("Import")
    assert not registry.is_bookkeeping("Patron")


@pytest.mark.parametrize(
    "copied",
    [
        pytest.param({"entity": "Item"}, id="entity copied from items"),
        pytest.param({"tombstone_prefix": "DELETED#"}, id="items' tombstone prefix"),
        pytest.param({"creation_prefix": "CREATE#"}, id="items' creation prefix"),
        pytest.param({"key_prefix": "ITEM#"}, id="items' key prefix"),
        pytest.param({"key_prefix": "ITEM#C#"}, id="a prefix inside items' key prefix"),
        pytest.param({"key_prefix": "EXPORT#"}, id="a job's prefix"),
        pytest.param({"entity": "Import"}, id="a job's entity"),
        pytest.param({"tombstone_prefix": "PATRON#"}, id="its own key prefix twice"),
        pytest.param({"creation_prefix": ""}, id="an empty prefix"),
    ],
)
def test_a_resource_reusing_a_name_or_prefix_is_refused(copied: dict[str, Any]) -> None:
    registry = ResourceRegistry((ITEMS,), others=(JOBS,))

    with pytest.raises(DuplicateResourceError):
        registry.register(PATRONS._replace(**copied))


def test_the_tables_registry_holds_items_with_their_stored_names() -> None:
    # Existing data must still read: these are the prefixes and entity names already in the table.
    assert RESOURCES.kinds()[0] is ITEMS  # a scaffolded resource (make resource) registers after items
    assert ITEMS.prefixes == ("ITEM#", "DELETED#", "CREATE#")
    assert ITEMS.entities == ("Item", "ItemDeletion", "ItemCreation")


def test_ids_carry_the_kinds_id_prefix() -> None:
    prefixed = PATRONS._replace(id_prefix="cus_")

    assert prefixed.is_id(prefixed.new_id())
    assert not prefixed.is_id(ITEMS.new_id())
    assert ITEMS.is_id(ITEMS.new_id())
