"""The items table's layout names the client fields the item models declare, so the stream reader (which loads no
models) records a change to every one of them."""

from app.adapters.items_table import CLIENT_FIELDS
from app.models.items import ItemBase


def test_client_fields_are_the_item_models_fields() -> None:
    assert tuple(field.alias or name for name, field in ItemBase.model_fields.items()) == CLIENT_FIELDS
