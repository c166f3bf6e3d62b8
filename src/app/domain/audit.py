"""Audit trail rules: what one change to a resource records, and the order in which its history is read."""

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from app.domain.resources import ResourceKind


# The docstring is the API's description of a history event's type (openapi.json): items' history is the one served.
class ChangeType(StrEnum):
    """The stream's event names: an item was created, changed or deleted."""

    INSERT = "INSERT"
    MODIFY = "MODIFY"
    REMOVE = "REMOVE"


class ResourceChange(NamedTuple):
    """One write to a resource of any registered kind, as the table's stream reports it.

    `old` and `new` hold only the kind's client fields (an item's name, description, price, tags) that have a value:
    `old` is empty for an INSERT and `new` for a REMOVE. `item_id` is the resource's id (the audit trail's stored
    attribute is `itemId` for every kind).
    """

    event_id: str
    sequence_number: str
    type: ChangeType
    owner: str
    item_id: str
    at: datetime
    actor: str | None
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    kind: ResourceKind


# Items' changes are resource changes; their tests and callers keep this name.
ItemChange = ResourceChange


class FieldValues(NamedTuple):
    old: Any
    new: Any


class HistoryEntry(NamedTuple):
    """One entry of an item's audit trail: who changed it, when, and each changed field's old and new value."""

    event_id: str
    type: ChangeType
    at: datetime
    actor: str | None
    changes: Mapping[str, FieldValues]


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, FieldValues]:
    """Every field whose value differs, with both values (None where the field has none).

    One rule covers the three change types: an INSERT compares against nothing, so every field shows up with
    old None; a REMOVE likewise with new None; a MODIFY lists only what the write actually changed.
    """
    names = sorted(old.keys() | new.keys())
    return {name: FieldValues(old=old.get(name), new=new.get(name)) for name in names if old.get(name) != new.get(name)}


# Sequence numbers are 21 to 40 digits; zero padding to 40 makes their text order their numeric order.
_SEQUENCE_DIGITS = 40
_SEQUENCE = re.compile(r"[0-9]{1,40}")
_POSITION = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z#[0-9]{40}#[A-Za-z0-9-]{1,128}")


def history_position(change: ResourceChange) -> str:
    """Where a change sorts in its item's history: by time, then by stream order, then the event id.

    ApproximateCreationDateTime has a precision of one second, and an item changed twice within a second
    must still list its changes in the order they happened: the stream's sequence numbers, which grow for
    the records of one item, settle those ties. The event id makes the position unique to one stream record.
    """
    moment = change.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    position = f"{moment}#{change.sequence_number.zfill(_SEQUENCE_DIGITS)}#{change.event_id}"
    if not _SEQUENCE.fullmatch(change.sequence_number) or not is_history_position(position):
        raise ValueError(f"stream record {change.event_id!r} has a malformed sequence number or event id")
    return position


def is_history_position(value: str) -> bool:
    return _POSITION.fullmatch(value) is not None
