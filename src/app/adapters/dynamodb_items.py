"""DynamoDB storage of items. Keys: pk OWNER#<owner>, sk ITEM#<id>; one partition per owner."""

from datetime import datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from app.adapters.aws import error_code, unavailable_on_transient_errors
from app.domain.errors import ItemNotFoundError, VersionMismatchError
from app.models.items import ItemPublic, ItemUpdate
from app.services.items import ItemPage

ITEM_PREFIX = "ITEM#"
ENTITY_TYPE = "Item"
_CLIENT_FIELDS = ("name", "description", "price", "tags")
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def owner_key(owner: str) -> str:
    return f"OWNER#{owner}"


def item_key(owner: str, item_id: str) -> dict[str, Any]:
    return {"pk": {"S": owner_key(owner)}, "sk": {"S": ITEM_PREFIX + item_id}}


def to_attributes(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in values.items() if value is not None}


def from_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in attributes.items()}


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


class DynamoDBItemRepository:
    def __init__(self, *, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def add(self, *, owner: str, item: ItemPublic) -> None:
        with unavailable_on_transient_errors():
            self._client.put_item(
                TableName=self._table,
                Item=stored_attributes(owner, item),
                ConditionExpression="attribute_not_exists(pk)",
            )

    def get(self, *, owner: str, item_id: str) -> ItemPublic:
        with unavailable_on_transient_errors():
            response = self._client.get_item(TableName=self._table, Key=item_key(owner, item_id))
        if "Item" not in response:
            raise ItemNotFoundError()
        return item_from_attributes(response["Item"])

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
        present = [name for name in _CLIENT_FIELDS if values[name] is not None]
        absent = [name for name in _CLIENT_FIELDS if values[name] is None]
        assignments = [f"#{name} = :{name}" for name in present]
        assignments += ["#version = #version + :one", "updatedAt = :updatedAt", "updatedBy = :owner"]
        expression = "SET " + ", ".join(assignments)
        if absent:
            expression += " REMOVE " + ", ".join(f"#{name}" for name in absent)
        names = {f"#{name}": name for name in (*_CLIENT_FIELDS, "version")}
        attribute_values = to_attributes({f":{name}": values[name] for name in present})
        attribute_values |= to_attributes({":one": 1, ":updatedAt": updated_at.isoformat(), ":owner": owner})
        condition, expected = version_condition(expected_version)
        response = self._conditional_write(
            "update_item",
            Key=item_key(owner, item_id),
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=attribute_values | expected,
            ReturnValues="ALL_NEW",
        )
        return item_from_attributes(response["Attributes"])

    def delete(self, *, owner: str, item_id: str, expected_version: int | None) -> None:
        condition, expected = version_condition(expected_version)
        request: dict[str, Any] = {"ConditionExpression": condition}
        if expected:
            request |= {"ExpressionAttributeNames": {"#version": "version"}, "ExpressionAttributeValues": expected}
        self._conditional_write("delete_item", Key=item_key(owner, item_id), **request)

    def _conditional_write(self, operation: str, **request: Any) -> Any:
        try:
            with unavailable_on_transient_errors():
                return getattr(self._client, operation)(
                    TableName=self._table, ReturnValuesOnConditionCheckFailure="ALL_OLD", **request
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            # The old image tells a stale version (412) from a missing item (404) in the same call.
            if "Item" in error.response:
                raise VersionMismatchError() from error
            raise ItemNotFoundError() from error
