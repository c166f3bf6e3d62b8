"""How an item is stored in the shared table (the ITEMS kind's OwnedRecordFormat): what the item repository, the
worker's bulk reads and the imports' writes share.

Apart from app.adapters.dynamodb_items so that the worker, which reads and writes items in bulk and never through
the repository, does not load the repository's services and If-Match rules at init (each of their classes and
regular expressions is created at cold start).
"""

from typing import Any

from app.adapters.owned_record_format import OwnedRecordFormat
from app.domain.resource_kinds import ITEMS
from app.models.items import ItemPublic

ITEM_FORMAT = OwnedRecordFormat(ITEMS, ItemPublic)


def item_from_attributes(attributes: dict[str, Any]) -> ItemPublic:
    return ITEM_FORMAT.from_attributes(attributes)


def stored_attributes(owner: str, item: ItemPublic) -> dict[str, Any]:
    return ITEM_FORMAT.stored_attributes(owner, item)
