from decimal import Decimal

import pytest
from pydantic import ValidationError

from app.models.items import ItemCreate, ItemPublic


def test_price_stays_exact_in_python_and_is_a_number_in_json() -> None:
    item = ItemCreate.model_validate({"name": "a", "price": 0.1})

    assert item.price == Decimal("0.1")
    assert item.model_dump_json() == '{"name":"a","description":null,"price":0.1,"tags":[]}'


@pytest.mark.parametrize("price", [True, "1.00", None if False else [1], {"v": 1}])
def test_price_must_be_a_number(price: object) -> None:
    with pytest.raises(ValidationError):
        ItemCreate.model_validate({"name": "a", "price": price})


@pytest.mark.parametrize("price", [0, 0.5, 10.25, 999999.99])
def test_valid_prices(price: float) -> None:
    assert ItemCreate.model_validate({"name": "a", "price": price}).price == Decimal(str(price))


def test_public_item_uses_camel_case() -> None:
    item = ItemPublic.model_validate(
        {"id": "x", "name": "a", "version": 1, "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}
    )

    assert set(item.model_dump(by_alias=True)) >= {"createdAt", "updatedAt"}


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        ItemCreate.model_validate({"name": "a", "colour": "red"})
