"""DynamoDB storage of items: the shared owned-record storage (app.adapters.owned_records) for the ITEMS kind.

Keys: pk OWNER#<owner>, sk ITEM#<id>; creation records CREATE#<key>, tombstones DELETED#<id> (see owned_records).
"""

from datetime import timedelta
from typing import Any

from app.adapters.owned_record_format import OwnedRecordFormat
from app.adapters.owned_records import OwnedRecords
from app.domain.resource_kinds import ITEMS
from app.models.items import ItemPublic
from app.services.items import ItemRecords

ITEM_FORMAT = OwnedRecordFormat(ITEMS, ItemPublic)


def item_from_attributes(attributes: dict[str, Any]) -> ItemPublic:
    return ITEM_FORMAT.from_attributes(attributes)


def stored_attributes(owner: str, item: ItemPublic) -> dict[str, Any]:
    return ITEM_FORMAT.stored_attributes(owner, item)


class DynamoDBItemRepository(ItemRecords):
    def __init__(self, *, client: Any, table_name: str, records_retention: timedelta = timedelta(hours=24)) -> None:
        records = OwnedRecords(
            record_format=ITEM_FORMAT, client=client, table_name=table_name, records_retention=records_retention
        )
        super().__init__(records)
