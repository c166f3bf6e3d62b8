"""DynamoDB storage of items. Keys: pk OWNER#<owner>, sk ITEM#<id>; one partition per owner.

Every write is conditional and goes through ConditionalWrites, so a write that botocore retried after DynamoDB had
applied it answers as it would have without the retry. A create under an idempotency key also stores a creation
record (sk CREATE#<key>) in the same transaction: whatever happens to the request around it (a lost answer, a
Powertools record deleted after a 503), a second create under that key stores nothing and returns the first item.
A delete puts a tombstone (sk DELETED#<id>) in the same transaction: the write that tells a retried, applied
delete (204) from an item that was already missing (404). Both records expire with the table's TTL.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from app.adapters.aws import unavailable_on_transient_errors
from app.adapters.conditional_writes import ConditionalWrites, ConditionFailed
from app.adapters.items_table import (
    CLIENT_FIELDS,
    ENTITY_TYPE,
    ITEM_PREFIX,
    from_attributes,
    item_key,
    owner_key,
    to_attributes,
)
from app.domain.errors import IdempotencyKeyReusedError, ItemNotFoundError, VersionMismatchError
from app.models.items import ItemCreate, ItemPublic, ItemUpdate
from app.services.items import ItemPage

CREATION_PREFIX = "CREATE#"
DELETION_PREFIX = "DELETED#"
CREATION_ENTITY_TYPE = "ItemCreation"
DELETION_ENTITY_TYPE = "ItemDeletion"
_PUBLIC_ATTRIBUTES = frozenset(field.alias or name for name, field in ItemPublic.model_fields.items())


def item_from_attributes(attributes: dict[str, Any]) -> ItemPublic:
    public = {name: value for name, value in attributes.items() if name in _PUBLIC_ATTRIBUTES}
    return ItemPublic.model_validate(from_attributes(public), by_alias=True)


def version_condition(expected_version: int | None) -> tuple[str, dict[str, Any]]:
    """The condition of a write to an existing item, at the expected version unless that is None (any)."""
    if expected_version is None:
        return "attribute_exists(pk)", {}
    return "attribute_exists(pk) AND #version = :expected", to_attributes({":expected": expected_version})


def stored_attributes(owner: str, item: ItemPublic) -> dict[str, Any]:
    document = item.model_dump(mode="json", by_alias=True, exclude={"price"})
    document.update(price=item.price, entity=ENTITY_TYPE, updatedBy=owner)
    return item_key(owner, item.id) | to_attributes(document)


def creation_attributes(owner: str, key: str, item: ItemPublic, expires_at: datetime) -> dict[str, Any]:
    document: dict[str, Any] = {"entity": CREATION_ENTITY_TYPE, "item": item.model_dump_json(by_alias=True)}
    # TTL attribute; the write's condition also treats an expired record as absent, as TTL deletes late.
    document["expiresAt"] = int(expires_at.timestamp())
    return {"pk": {"S": owner_key(owner)}, "sk": {"S": CREATION_PREFIX + key}} | to_attributes(document)


def tombstone_key(owner: str, item_id: str) -> dict[str, Any]:
    return {"pk": {"S": owner_key(owner)}, "sk": {"S": DELETION_PREFIX + item_id}}


def tombstone(owner: str, item_id: str, expires_at: datetime) -> dict[str, Any]:
    document = {"entity": DELETION_ENTITY_TYPE, "itemId": item_id, "expiresAt": int(expires_at.timestamp())}
    return tombstone_key(owner, item_id) | to_attributes(document)


def _client_fields(item: ItemPublic) -> dict[str, Any]:
    return item.model_dump(include=set(ItemCreate.model_fields))


class DynamoDBItemRepository:
    def __init__(self, *, client: Any, table_name: str, records_retention: timedelta = timedelta(hours=24)) -> None:
        self._client = client
        self._table = table_name
        self._writes = ConditionalWrites(client)
        # How long creation records (the idempotency replay window) and tombstones are kept.
        self._retention = records_retention

    def add(self, *, owner: str, item: ItemPublic, creation_key: str | None = None) -> ItemPublic:
        put: dict[str, Any] = {"TableName": self._table, "Item": stored_attributes(owner, item)}
        if creation_key is None:
            self._writes.put(ConditionExpression="attribute_not_exists(pk)", **put)
            return item
        now = datetime.now(UTC)
        creation = {
            "TableName": self._table,
            "Item": creation_attributes(owner, creation_key, item, now + self._retention),
            "ConditionExpression": "attribute_not_exists(pk) OR expiresAt < :now",
            "ExpressionAttributeValues": {":now": {"N": str(int(now.timestamp()))}},
        }
        try:
            new_item = put | {"ConditionExpression": "attribute_not_exists(pk)"}
            self._writes.transact([{"Put": new_item}, {"Put": creation}])
        except ConditionFailed as failed:
            existing = failed.images[-1]
            if existing is None:
                raise
            first = ItemPublic.model_validate_json(existing["item"]["S"])
            if _client_fields(first) != _client_fields(item):
                raise IdempotencyKeyReusedError() from failed
            return first
        return item

    def get(self, *, owner: str, item_id: str) -> ItemPublic:
        with unavailable_on_transient_errors():
            response = self._client.get_item(TableName=self._table, Key=item_key(owner, item_id))
        if "Item" not in response:
            raise ItemNotFoundError()
        return item_from_attributes(response["Item"])

    def was_created(self, *, owner: str, item_id: str) -> bool:
        # Consistent reads: a history asked for right after the create must find the item.
        for key in (item_key(owner, item_id), tombstone_key(owner, item_id)):
            with unavailable_on_transient_errors():
                found = self._client.get_item(
                    TableName=self._table, Key=key, ConsistentRead=True, ProjectionExpression="pk"
                )
            if "Item" in found:
                return True
        return False

    def list_newest_first(self, *, owner: str, limit: int, after_id: str | None) -> ItemPage:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": owner_key(owner)}, ":prefix": {"S": ITEM_PREFIX}},
            "ScanIndexForward": False,
            # One more than a page tells whether another page exists without a second call.
            "Limit": limit + 1,
        }
        if after_id is not None:
            request["ExclusiveStartKey"] = item_key(owner, after_id)
        with unavailable_on_transient_errors():
            response = self._client.query(**request)
        items = [item_from_attributes(attributes) for attributes in response.get("Items", [])]
        has_more = len(items) > limit or "LastEvaluatedKey" in response
        return ItemPage(items=items[:limit], has_more=has_more)

    def replace(
        self, *, owner: str, item_id: str, fields: ItemUpdate, expected_version: int | None, updated_at: datetime
    ) -> ItemPublic:
        values = fields.model_dump()
        present = [name for name in CLIENT_FIELDS if values[name] is not None]
        absent = [name for name in CLIENT_FIELDS if values[name] is None]
        assignments = [f"#{name} = :{name}" for name in present]
        assignments += ["#version = #version + :one", "updatedAt = :updatedAt", "updatedBy = :owner"]
        expression = "SET " + ", ".join(assignments)
        if absent:
            expression += " REMOVE " + ", ".join(f"#{name}" for name in absent)
        names = {f"#{name}": name for name in (*CLIENT_FIELDS, "version")}
        attribute_values = to_attributes({f":{name}": values[name] for name in present})
        attribute_values |= to_attributes({":one": 1, ":updatedAt": updated_at.isoformat(), ":owner": owner})
        condition, expected = version_condition(expected_version)
        attributes = self._conditional_write(
            self._writes.update,
            Key=item_key(owner, item_id),
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=attribute_values | expected,
            ReturnValues="ALL_NEW",
        )
        return item_from_attributes(attributes)

    def delete(self, *, owner: str, item_id: str, expected_version: int | None) -> None:
        condition, expected = version_condition(expected_version)
        request: dict[str, Any] = {"ConditionExpression": condition}
        if expected:
            request |= {"ExpressionAttributeNames": {"#version": "version"}, "ExpressionAttributeValues": expected}
        marker = {"TableName": self._table, "Item": tombstone(owner, item_id, datetime.now(UTC) + self._retention)}
        self._conditional_write(self._writes.delete, Key=item_key(owner, item_id), marker=marker, **request)

    def _conditional_write(self, write: Any, **request: Any) -> Any:
        try:
            return write(TableName=self._table, **request)
        except ConditionFailed as failed:
            # The item's current image tells a stale version (412) from a missing item (404) in the same call.
            if failed.images[0] is not None:
                raise VersionMismatchError() from failed
            raise ItemNotFoundError() from failed
