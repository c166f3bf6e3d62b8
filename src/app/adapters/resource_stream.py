"""Changes of every registered resource, read from the table's DynamoDB stream (images in owned_record_format's layout).

The table also holds records that are no resource's change: tombstones, creation records and jobs, which the
registry knows and which are skipped quietly, and anything of an entity no kind registers (a resource added without
its ResourceKind, a record of a newer release), which is skipped too but reported (Skipped.known False): the audit
function must keep the stream moving, and the operator must learn that a kind's changes are not being audited.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from app.adapters.owned_table import OWNER_PREFIX, from_attributes
from app.domain.audit import ChangeType, ResourceChange
from app.domain.resource_kinds import RESOURCES
from app.domain.resources import ResourceKind

# DynamoDB's own deletes (TTL expiry) carry this service principal as the record's userIdentity.
TTL_PRINCIPAL = "dynamodb.amazonaws.com"


class MalformedChangeError(ValueError):
    """A resource's stream record that cannot be attributed: it must fail, not be skipped, to leave no silent gap."""


class Skipped(NamedTuple):
    """A stream record that is no resource's change; `known` False: of an entity the registry does not know."""

    entity: object
    known: bool


def read_change(record: Mapping[str, Any]) -> ResourceChange | Skipped:
    """The change a stream record (in the Lambda event format) describes, or why it has none (RESOURCES decides)."""
    stream = record["dynamodb"]
    old = from_attributes(stream.get("OldImage", {}))
    new = from_attributes(stream.get("NewImage", {}))
    if not old and not new:
        raise MalformedChangeError(f"record {record.get('eventID')} has no image: the stream needs NEW_AND_OLD_IMAGES")
    entity = (new or old).get("entity")
    kind = RESOURCES.kind_of(entity)
    if kind is None:
        return Skipped(entity=entity, known=RESOURCES.is_bookkeeping(entity))
    owner, resource_id = _owner_and_id(kind, new or old, record)
    change_type = ChangeType(record["eventName"])
    return ResourceChange(
        event_id=record["eventID"],
        sequence_number=stream["SequenceNumber"],
        type=change_type,
        owner=owner,
        item_id=resource_id,
        # Epoch seconds in Lambda events.
        at=datetime.fromtimestamp(float(stream["ApproximateCreationDateTime"]), UTC),
        actor=_actor(record, change_type, new, owner),
        old=_client_fields(kind, old),
        new=_client_fields(kind, new),
        kind=kind,
    )


def _owner_and_id(kind: ResourceKind, image: Mapping[str, Any], record: Mapping[str, Any]) -> tuple[str, str]:
    pk, sk = str(image.get("pk", "")), str(image.get("sk", ""))
    owner, resource_id = pk.removeprefix(OWNER_PREFIX), sk.removeprefix(kind.key_prefix)
    if (
        not pk.startswith(OWNER_PREFIX)
        or not owner
        or not sk.startswith(kind.key_prefix)
        or not kind.is_id(resource_id)
    ):
        raise MalformedChangeError(f"record {record.get('eventID')} is an {kind.entity} without its key")
    return owner, resource_id


def _actor(record: Mapping[str, Any], kind: ChangeType, new: Mapping[str, Any], owner: str) -> str | None:
    if kind is ChangeType.REMOVE:
        identity = record.get("userIdentity") or {}
        # Only the owner may delete a resource through the API; the only other deleter is DynamoDB's TTL.
        return TTL_PRINCIPAL if identity.get("principalId") == TTL_PRINCIPAL else owner
    # Every resource write sets updatedBy to the caller's sub; a write that does not is attributed to nobody.
    actor = new.get("updatedBy")
    return str(actor) if actor else None


def _client_fields(kind: ResourceKind, image: Mapping[str, Any]) -> dict[str, Any]:
    return {name: image[name] for name in kind.client_fields if image.get(name) is not None}
