"""DynamoDB storage of any owned, versioned resource (a ResourceKind), in its owner's partition of the shared table.

Every write is conditional and goes through ConditionalWrites, so a write that botocore retried after DynamoDB had
applied it answers as it would have without the retry. A create under an idempotency key also stores a creation
record (sk <creation prefix><key>) in the same transaction: whatever happens to the request around it (a lost
answer, a Powertools record deleted after a 503), a second create under that key stores nothing and returns the
first record. A delete puts a tombstone (sk <tombstone prefix><id>) in the same transaction: the write that tells a
retried, applied delete (204) from a record that was already missing (404). Both expire with the table's TTL.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from app.adapters.aws import unavailable_on_transient_errors
from app.adapters.conditional_writes import ConditionalWrites, ConditionFailed
from app.adapters.owned_record_format import OwnedRecordFormat, VersionedModel
from app.adapters.owned_table import owner_key, record_key, to_attributes, tombstone_key
from app.domain.errors import IdempotencyKeyReusedError, VersionMismatchError
from app.domain.pages import Page
from app.services.owned import ClientFields


def version_condition(expected_version: int | None) -> tuple[str, dict[str, Any]]:
    """The condition of a write to an existing record, at the expected version unless that is None (any)."""
    if expected_version is None:
        return "attribute_exists(pk)", {}
    return "attribute_exists(pk) AND #version = :expected", to_attributes({":expected": expected_version})


class OwnedRecords[Public: VersionedModel]:
    """One kind's records: the kind's not-found error and VersionMismatchError are the only conditions raised."""

    def __init__(
        self, *, record_format: OwnedRecordFormat[Public], client: Any, table_name: str, records_retention: timedelta
    ) -> None:
        self._format, self._kind = record_format, record_format.kind
        self._client = client
        self._table = table_name
        self._writes = ConditionalWrites(client)
        # How long creation records (the idempotency replay window) and tombstones are kept.
        self._retention = records_retention

    def add(self, *, owner: str, record: Public, creation_key: str | None = None) -> Public:
        put: dict[str, Any] = {"TableName": self._table, "Item": self._format.stored_attributes(owner, record)}
        if creation_key is None:
            self._writes.put(ConditionExpression="attribute_not_exists(pk)", **put)
            return record
        now = datetime.now(UTC)
        creation = {
            "TableName": self._table,
            "Item": self._format.creation_attributes(owner, creation_key, record, now + self._retention),
            "ConditionExpression": "attribute_not_exists(pk) OR expiresAt < :now",
            "ExpressionAttributeValues": {":now": {"N": str(int(now.timestamp()))}},
        }
        try:
            new_record = put | {"ConditionExpression": "attribute_not_exists(pk)"}
            self._writes.transact([{"Put": new_record}, {"Put": creation}])
        except ConditionFailed as failed:
            existing = failed.images[-1]
            if existing is None:
                raise
            first = self._format.first_created(existing)
            if self._format.client_fields(first) != self._format.client_fields(record):
                raise IdempotencyKeyReusedError() from failed
            return first
        return record

    def get(self, *, owner: str, record_id: str) -> Public:
        with unavailable_on_transient_errors():
            response = self._client.get_item(TableName=self._table, Key=record_key(self._kind, owner, record_id))
        if "Item" not in response:
            raise self._kind.not_found()
        return self._format.from_attributes(response["Item"])

    def was_created(self, *, owner: str, record_id: str) -> bool:
        # Consistent reads: a history asked for right after the create must find the record.
        for key in (record_key(self._kind, owner, record_id), tombstone_key(self._kind, owner, record_id)):
            with unavailable_on_transient_errors():
                found = self._client.get_item(
                    TableName=self._table, Key=key, ConsistentRead=True, ProjectionExpression="pk"
                )
            if "Item" in found:
                return True
        return False

    def list_newest_first(self, *, owner: str, limit: int, after_id: str | None) -> Page[Public]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": owner_key(owner)}, ":prefix": {"S": self._kind.key_prefix}},
            "ScanIndexForward": False,
            # One more than a page tells whether another page exists without a second call.
            "Limit": limit + 1,
        }
        if after_id is not None:
            request["ExclusiveStartKey"] = record_key(self._kind, owner, after_id)
        with unavailable_on_transient_errors():
            response = self._client.query(**request)
        records = [self._format.from_attributes(attributes) for attributes in response.get("Items", [])]
        has_more = len(records) > limit or "LastEvaluatedKey" in response
        return Page(items=records[:limit], has_more=has_more)

    def replace(
        self, *, owner: str, record_id: str, fields: ClientFields, expected_version: int | None, updated_at: datetime
    ) -> Public:
        values = fields.model_dump(by_alias=True)
        present = [name for name in self._kind.client_fields if values[name] is not None]
        absent = [name for name in self._kind.client_fields if values[name] is None]
        assignments = [f"#{name} = :{name}" for name in present]
        assignments += ["#version = #version + :one", "updatedAt = :updatedAt", "updatedBy = :owner"]
        expression = "SET " + ", ".join(assignments)
        if absent:
            expression += " REMOVE " + ", ".join(f"#{name}" for name in absent)
        names = {f"#{name}": name for name in (*self._kind.client_fields, "version")}
        attribute_values = to_attributes({f":{name}": values[name] for name in present})
        attribute_values |= to_attributes({":one": 1, ":updatedAt": updated_at.isoformat(), ":owner": owner})
        condition, expected = version_condition(expected_version)
        attributes = self._conditional_write(
            self._writes.update,
            Key=record_key(self._kind, owner, record_id),
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=attribute_values | expected,
            ReturnValues="ALL_NEW",
        )
        return self._format.from_attributes(attributes)

    def delete(self, *, owner: str, record_id: str, expected_version: int | None) -> None:
        condition, expected = version_condition(expected_version)
        request: dict[str, Any] = {"ConditionExpression": condition}
        if expected:
            request |= {"ExpressionAttributeNames": {"#version": "version"}, "ExpressionAttributeValues": expected}
        tombstone = self._format.tombstone(owner, record_id, datetime.now(UTC) + self._retention)
        marker = {"TableName": self._table, "Item": tombstone}
        key = record_key(self._kind, owner, record_id)
        self._conditional_write(self._writes.delete, Key=key, marker=marker, **request)

    def _conditional_write(self, write: Any, **request: Any) -> Any:
        try:
            return write(TableName=self._table, **request)
        except ConditionFailed as failed:
            # The record's current image tells a stale version (412) from a missing record (404) in the same call.
            if failed.images[0] is not None:
                raise VersionMismatchError() from failed
            raise self._kind.not_found() from failed
