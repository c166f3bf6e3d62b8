"""The items table's layout, shared by its adapters and the stream reader: keys, entity types, attribute codec.

No models: the audit function reads item images off the stream with this module alone, without pydantic.
"""

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

OWNER_PREFIX = "OWNER#"
ITEM_PREFIX = "ITEM#"
ENTITY_TYPE = "Item"
# The attributes a client sets on an item; tests/unit checks them against the item models.
CLIENT_FIELDS = ("name", "description", "price", "tags")
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def owner_key(owner: str) -> str:
    return OWNER_PREFIX + owner


def item_key(owner: str, item_id: str) -> dict[str, Any]:
    return {"pk": {"S": owner_key(owner)}, "sk": {"S": ITEM_PREFIX + item_id}}


def to_attributes(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in values.items() if value is not None}


def from_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in attributes.items()}
