"""How an owned resource's public model is stored in the shared table: its record, creation record and tombstone.

A record's attributes are the model's, by alias, plus `entity` (the kind's) and `updatedBy` (the writer's sub). The
bookkeeping records name the resource by its kind's noun (`item`: the first create's JSON; `itemId`: the deleted id).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, Self, cast

from app.adapters.owned_table import from_attributes, owner_key, record_key, to_attributes, tombstone_key
from app.domain.resources import ResourceKind


class VersionedModel(Protocol):
    """What the storage needs of a resource's public model: a pydantic model with an id and a version, whose
    `version` and `updated_at` fields are stored as `version` and `updatedAt` (a replace sets them)."""

    id: str
    version: int

    def model_dump(self, *, mode: str = ..., by_alias: bool | None = ...) -> dict[str, Any]: ...

    def model_dump_json(self, *, by_alias: bool | None = ...) -> str: ...

    @classmethod
    def model_validate(cls, obj: Any, *, by_alias: bool | None = ...) -> Self: ...

    @classmethod
    def model_validate_json(cls, json_data: str, *, by_alias: bool | None = ...) -> Self: ...


class OwnedRecordFormat[Public: VersionedModel]:
    """How a kind's public model is stored: its attributes are the model's, by alias, plus `entity` and
    `updatedBy`; numbers stay Decimal (DynamoDB's numbers; JSON mode would make them floats)."""

    def __init__(self, kind: ResourceKind, model: type[Public]) -> None:
        self.kind, self._model = kind, model
        # Stored names are the fields' aliases (pydantic's model_fields, which a Protocol cannot declare for a class).
        fields: dict[str, Any] = cast(Any, model).model_fields
        self._public = frozenset(field.alias or name for name, field in fields.items())

    def stored_attributes(self, owner: str, record: Public) -> dict[str, Any]:
        document = record.model_dump(mode="json", by_alias=True)
        document |= {
            name: value for name, value in record.model_dump(by_alias=True).items() if isinstance(value, Decimal)
        }
        document.update(entity=self.kind.entity, updatedBy=owner)
        return record_key(self.kind, owner, record.id) | to_attributes(document)

    def from_attributes(self, attributes: dict[str, Any]) -> Public:
        public = {name: value for name, value in attributes.items() if name in self._public}
        return self._model.model_validate(from_attributes(public), by_alias=True)

    def creation_attributes(self, owner: str, key: str, record: Public, expires_at: datetime) -> dict[str, Any]:
        document: dict[str, Any] = {"entity": self.kind.creation_entity}
        document[self.kind.noun] = record.model_dump_json(by_alias=True)
        # TTL attribute; the write's condition also treats an expired record as absent, as TTL deletes late.
        document["expiresAt"] = int(expires_at.timestamp())
        return {"pk": {"S": owner_key(owner)}, "sk": {"S": self.kind.creation_prefix + key}} | to_attributes(document)

    def first_created(self, creation: dict[str, Any]) -> Public:
        return self._model.model_validate_json(creation[self.kind.noun]["S"])

    def tombstone(self, owner: str, record_id: str, expires_at: datetime) -> dict[str, Any]:
        document = {
            "entity": self.kind.tombstone_entity,
            f"{self.kind.noun}Id": record_id,
            "expiresAt": int(expires_at.timestamp()),
        }
        return tombstone_key(self.kind, owner, record_id) | to_attributes(document)

    def client_fields(self, record: Public) -> dict[str, Any]:
        return {
            name: value for name, value in record.model_dump(by_alias=True).items() if name in self.kind.client_fields
        }
