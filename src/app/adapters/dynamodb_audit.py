"""DynamoDB storage of the audit trail. Keys: pk <kind's key prefix><owner>#<id> (ITEM#<owner>#<itemId>), sk <history
position>.

The owner is part of the partition key, so one item's history is one Query and no key of one owner can reach
another owner's entries. Entries are only ever put, on the condition that none exists at that key.
"""

from datetime import datetime
from typing import Any

from app.adapters.aws import unavailable_on_transient_errors
from app.adapters.conditional_writes import ConditionalWrites, ConditionFailed
from app.adapters.items_table import from_attributes, to_attributes
from app.domain.audit import ChangeType, FieldValues, HistoryEntry
from app.domain.resources import ResourceKind
from app.services.audit import HistoryPage

ENTITY_TYPE = "AuditEntry"


def history_key(kind: ResourceKind, owner: str, item_id: str) -> str:
    # The registry keeps key prefixes apart, so two kinds' histories never share a partition.
    return f"{kind.key_prefix}{owner}#{item_id}"


def entry_key(kind: ResourceKind, owner: str, item_id: str, position: str) -> dict[str, Any]:
    return {"pk": {"S": history_key(kind, owner, item_id)}, "sk": {"S": position}}


def entry_attributes(
    *, kind: ResourceKind, owner: str, item_id: str, position: str, entry: HistoryEntry, expires_at: datetime
) -> dict[str, Any]:
    values = {
        "entity": ENTITY_TYPE,
        "owner": owner,
        "itemId": item_id,
        "eventId": entry.event_id,
        "type": entry.type.value,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "changes": {name: {"old": change.old, "new": change.new} for name, change in entry.changes.items()},
        # TTL attribute: DynamoDB deletes the entry (at no cost) once the retention has passed.
        "expiresAt": int(expires_at.timestamp()),
    }
    return entry_key(kind, owner, item_id, position) | to_attributes(values)


def entry_from_attributes(attributes: dict[str, Any]) -> HistoryEntry:
    values = from_attributes(attributes)
    return HistoryEntry(
        event_id=values["eventId"],
        type=ChangeType(values["type"]),
        at=datetime.fromisoformat(values["at"]),
        actor=values.get("actor"),
        changes={
            name: FieldValues(old=change.get("old"), new=change.get("new"))
            for name, change in values["changes"].items()
        },
    )


class DynamoDBAuditLog:
    def __init__(self, *, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name
        self._writes = ConditionalWrites(client)

    def append(
        self,
        *,
        kind: ResourceKind,
        owner: str,
        item_id: str,
        position: str,
        entry: HistoryEntry,
        expires_at: datetime,
    ) -> None:
        item = entry_attributes(
            kind=kind, owner=owner, item_id=item_id, position=position, entry=entry, expires_at=expires_at
        )
        try:
            # The condition is what makes an entry immutable for the one role allowed to put: IAM cannot
            # require it, so a put can only ever add an entry, never replace one. A put that botocore retried
            # after it was applied is recognised as this call's own by ConditionalWrites: recorded.
            self._writes.put(TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ConditionFailed:
            # The position ends with the stream record's event id, so an entry there is this record's: the stream
            # delivered it before (a retry, a bisected batch, a replay), and it is already recorded.
            return

    def list_newest_first(
        self, *, kind: ResourceKind, owner: str, item_id: str, limit: int, after: str | None
    ) -> HistoryPage:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": history_key(kind, owner, item_id)}},
            "ScanIndexForward": False,
            # One more than a page tells whether another page exists without a second call.
            "Limit": limit + 1,
        }
        if after is not None:
            request["ExclusiveStartKey"] = entry_key(kind, owner, item_id, after)
        with unavailable_on_transient_errors():
            response = self._client.query(**request)
        entries = response.get("Items", [])[:limit]
        has_more = len(response.get("Items", [])) > limit or "LastEvaluatedKey" in response
        next_position = entries[-1]["sk"]["S"] if has_more and entries else None
        return HistoryPage(entries=[entry_from_attributes(entry) for entry in entries], next_position=next_position)
