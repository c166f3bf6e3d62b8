"""What GET /items/{id}/history returns: the audit entries of one item, newest first."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel

from app.domain.audit import ChangeType

# DynamoDB returns every number as Decimal; the contract says JSON number (as for an item's price).
Number = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
FieldValue = str | Number | list[str] | None


class FieldChange(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built by the first history request, as every model (models/items.py)

    old: FieldValue = None
    new: FieldValue = None


class HistoryEvent(BaseModel):
    """One change to an item: who made it, when, and the fields it changed."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, defer_build=True)

    event_id: str
    type: ChangeType
    at: datetime
    actor: str | None
    changes: dict[str, FieldChange]


class ItemHistoryPublic(BaseModel):
    """One page of GET /items/{id}/history."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, defer_build=True)

    events: list[HistoryEvent]
    next_cursor: str | None
