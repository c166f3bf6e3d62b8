from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.adapters.item_stream import TTL_PRINCIPAL, MalformedChangeError, item_change
from app.domain.audit import ChangeType
from app.domain.ids import new_item_id
from app.models.items import ItemPublic
from tests.support.streams import TTL_IDENTITY, item_image, stream_record

AT = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def make_item(**fields: object) -> ItemPublic:
    values = {"name": "Lamp", "price": Decimal("49.90"), "tags": ["home"], "id": new_item_id(), "version": 1}
    return ItemPublic.model_validate(values | {"created_at": AT, "updated_at": AT} | fields)


def test_an_insert_carries_owner_id_time_actor_and_client_fields() -> None:
    item = make_item(description="Brass")
    record = stream_record("INSERT", new=item_image("alice", item), at=1_795_860_000, sequence_number="42")

    change = item_change(record)

    assert change is not None
    assert (change.type, change.owner, change.item_id, change.actor) == (ChangeType.INSERT, "alice", item.id, "alice")
    assert (change.event_id, change.sequence_number, change.at) == (record["eventID"], "42", AT)
    assert change.old == {}
    assert change.new == {"name": "Lamp", "description": "Brass", "price": Decimal("49.90"), "tags": ["home"]}


def test_a_modify_carries_both_images_and_the_writer() -> None:
    before, after = make_item(), make_item(name="Floor lamp", version=2)
    record = stream_record("MODIFY", old=item_image("alice", before), new=item_image("alice", after))

    change = item_change(record)

    assert change is not None
    assert (change.old["name"], change.new["name"], change.actor) == ("Lamp", "Floor lamp", "alice")


def test_a_remove_is_attributed_to_the_owner() -> None:
    change = item_change(stream_record("REMOVE", old=item_image("alice", make_item())))

    assert change is not None
    assert (change.type, change.actor, change.new) == (ChangeType.REMOVE, "alice", {})


def test_a_ttl_expiry_is_attributed_to_dynamodb() -> None:
    record = stream_record("REMOVE", old=item_image("alice", make_item()), identity=TTL_IDENTITY)

    change = item_change(record)

    assert change is not None
    assert change.actor == TTL_PRINCIPAL


def test_a_write_without_updated_by_is_attributed_to_nobody() -> None:
    image = item_image("alice", make_item())
    del image["updatedBy"]

    change = item_change(stream_record("INSERT", new=image))

    assert change is not None
    assert change.actor is None


@pytest.mark.parametrize("entity", ["Import", "Export", None])
def test_records_that_are_not_items_are_skipped(entity: str | None) -> None:
    image = {"pk": {"S": "OWNER#alice"}, "sk": {"S": "IMPORT#01JDQ50A1B2C3D4E5F6G7H8J9K"}, "status": {"S": "DONE"}}
    if entity is not None:
        image["entity"] = {"S": entity}

    assert item_change(stream_record("MODIFY", old=image, new=image)) is None


@pytest.mark.parametrize(
    ("pk", "sk"),
    [
        ("OWNER#alice", "JOB#1"),
        ("USER#alice", "ITEM#01JDQ4Z5V6W7X8Y9ZA0B1C2D3E"),
        ("OWNER#", "ITEM#01JDQ4Z5V6W7X8Y9ZA0B1C2D3E"),
    ],
)
def test_an_item_without_an_item_key_fails_instead_of_being_skipped(pk: str, sk: str) -> None:
    image = item_image("alice", make_item()) | {"pk": {"S": pk}, "sk": {"S": sk}}

    with pytest.raises(MalformedChangeError):
        item_change(stream_record("INSERT", new=image))


def test_a_record_without_images_fails_because_the_stream_view_is_wrong() -> None:
    record = stream_record("INSERT", new=item_image("alice", make_item()))
    del record["dynamodb"]["NewImage"]

    with pytest.raises(MalformedChangeError, match="NEW_AND_OLD_IMAGES"):
        item_change(record)
