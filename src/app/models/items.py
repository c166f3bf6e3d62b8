"""Item models: what clients send (ItemCreate/ItemUpdate) and what they get back (ItemPublic/ItemsPublic)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.alias_generators import to_camel


def _reject_non_numbers(value: Any) -> Any:
    # pydantic's lax mode would accept "12.5" and True as prices; the contract says "number".
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("price must be a number")
    return value


def _reject_duplicates(tags: list[str]) -> list[str]:
    if len(set(tags)) != len(tags):
        raise ValueError("tags must be unique")
    return tags


Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(max_length=2000)]
PRICE_MAX = Decimal("999999999999.99")  # 14 digits, 2 of them decimals
# Prices leave as JSON numbers (pydantic would write Decimal as a string) and are kept as Decimal
# everywhere else, because DynamoDB stores numbers as Decimal and floats cannot hold 0.1 exactly.
# The JSON Schema says what the validators enforce, which pydantic cannot derive from a Decimal with a
# before-validator: a number (never a string), 0 to PRICE_MAX, in cents.
Price = Annotated[
    Decimal,
    BeforeValidator(_reject_non_numbers),
    Field(ge=0, max_digits=14, decimal_places=2),
    PlainSerializer(float, return_type=float, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(PRICE_MAX), "multipleOf": 0.01}),
]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=50)]
Tags = Annotated[
    list[Tag], Field(max_length=20, json_schema_extra={"uniqueItems": True}), AfterValidator(_reject_duplicates)
]


class ItemBase(BaseModel):
    """The fields a client owns."""

    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, validate_by_name=True, validate_by_alias=True)

    name: Name
    description: Description | None = None
    price: Price | None = None
    tags: Tags = []


class ItemCreate(ItemBase):
    """Body of POST /items."""


class ItemUpdate(ItemBase):
    """Body of PUT /items/{id}: replaces every client field."""


class ItemPublic(ItemBase):
    """An item as the API returns it."""

    id: str
    version: int = Field(ge=1)
    created_at: datetime
    updated_at: datetime


class ItemsPublic(BaseModel):
    """One page of GET /items."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True)

    items: list[ItemPublic]
    next_cursor: str | None
