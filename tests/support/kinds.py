"""A second owned resource for tests of the shared machinery: every name and prefix of its own, and a model whose
stored names differ from its field names (email_address is stored as emailAddress). Patrons, not customers: the
documented example of `make resource` is NAME=customers, a real kind that must not collide with this one."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from app.domain.errors import ItemNotFoundError
from app.domain.resources import ResourceKind

PATRONS = ResourceKind(
    entity="Patron",
    noun="patron",
    collection="patrons",
    key_prefix="PATRON#",
    tombstone_prefix="PATRON_DELETED#",
    creation_prefix="PATRON_CREATE#",
    client_fields=("name", "emailAddress"),
    not_found=ItemNotFoundError,
)


class PatronFields(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, validate_by_name=True, validate_by_alias=True)

    name: str
    email_address: str | None = None  # camelCase when stored: emailAddress


class PatronPublic(PatronFields):
    id: str
    version: int
    created_at: datetime
    updated_at: datetime
