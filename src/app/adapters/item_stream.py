"""Item changes read from the items table's DynamoDB stream, whose images have the layout of dynamodb_items."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.adapters.items_table import CLIENT_FIELDS, ENTITY_TYPE, ITEM_PREFIX, OWNER_PREFIX, from_attributes
from app.domain.audit import ChangeType, ItemChange
from app.domain.ids import is_item_id

# DynamoDB's own deletes (TTL expiry) carry this service principal as the record's userIdentity.
TTL_PRINCIPAL = "dynamodb.amazonaws.com"


class MalformedChangeError(ValueError):
    """An item's stream record that cannot be attributed: it must fail, not be skipped, to leave no silent gap."""


def item_change(record: Mapping[str, Any]) -> ItemChange | None:
    """The change a stream record (in the Lambda event format) describes; None when it is not about an item.

    The table also holds other entities (import and export jobs); only images whose `entity` is Item are items.
    """
    stream = record["dynamodb"]
    old = from_attributes(stream.get("OldImage", {}))
    new = from_attributes(stream.get("NewImage", {}))
    if not old and not new:
        raise MalformedChangeError(f"record {record.get('eventID')} has no image: the stream needs NEW_AND_OLD_IMAGES")
    image = new or old
    if image.get("entity") != ENTITY_TYPE:
        return None
    owner, item_id = _owner_and_id(image, record)
    kind = ChangeType(record["eventName"])
    return ItemChange(
        event_id=record["eventID"],
        sequence_number=stream["SequenceNumber"],
        type=kind,
        owner=owner,
        item_id=item_id,
        # Epoch seconds in Lambda events.
        at=datetime.fromtimestamp(float(stream["ApproximateCreationDateTime"]), UTC),
        actor=_actor(record, kind, new, owner),
        old=_client_fields(old),
        new=_client_fields(new),
    )


def _owner_and_id(image: Mapping[str, Any], record: Mapping[str, Any]) -> tuple[str, str]:
    pk, sk = str(image.get("pk", "")), str(image.get("sk", ""))
    owner, item_id = pk.removeprefix(OWNER_PREFIX), sk.removeprefix(ITEM_PREFIX)
    if not pk.startswith(OWNER_PREFIX) or not owner or not sk.startswith(ITEM_PREFIX) or not is_item_id(item_id):
        raise MalformedChangeError(f"record {record.get('eventID')} is an item without an item key")
    return owner, item_id


def _actor(record: Mapping[str, Any], kind: ChangeType, new: Mapping[str, Any], owner: str) -> str | None:
    if kind is ChangeType.REMOVE:
        identity = record.get("userIdentity") or {}
        # Only the owner may delete an item through the API; the only other deleter is DynamoDB's TTL.
        return TTL_PRINCIPAL if identity.get("principalId") == TTL_PRINCIPAL else owner
    # Every item write sets updatedBy to the caller's sub; a write that does not is attributed to nobody.
    actor = new.get("updatedBy")
    return str(actor) if actor else None


def _client_fields(image: Mapping[str, Any]) -> dict[str, Any]:
    return {name: image[name] for name in CLIENT_FIELDS if image.get(name) is not None}
