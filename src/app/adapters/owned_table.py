"""The shared table's layout: owner partitions, each resource's record keys, and the attribute codec.

Keys: pk OWNER#<owner>; sk <kind's key prefix><id> for a resource, <tombstone prefix><id> for its deletion record.
No models: the audit function reads stream images with this module alone, without pydantic.
"""

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from app.domain.resources import ResourceKind

OWNER_PREFIX = "OWNER#"
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def owner_key(owner: str) -> str:
    return OWNER_PREFIX + owner


def record_key(kind: ResourceKind, owner: str, record_id: str) -> dict[str, Any]:
    return {"pk": {"S": owner_key(owner)}, "sk": {"S": kind.key_prefix + record_id}}


def tombstone_key(kind: ResourceKind, owner: str, record_id: str) -> dict[str, Any]:
    return {"pk": {"S": owner_key(owner)}, "sk": {"S": kind.tombstone_prefix + record_id}}


def to_attributes(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in values.items() if value is not None}


def from_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in attributes.items()}
