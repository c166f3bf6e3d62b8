"""DynamoDB storage of items: the shared owned-record storage (app.adapters.owned_records) for the ITEMS kind.

Keys: pk OWNER#<owner>, sk ITEM#<id>; creation records CREATE#<key>, tombstones DELETED#<id> (see owned_records).
"""

from datetime import timedelta
from typing import Any

from app.adapters.item_format import ITEM_FORMAT
from app.adapters.owned_records import OwnedRecords
from app.services.items import ItemRecords


class DynamoDBItemRepository(ItemRecords):
    def __init__(self, *, client: Any, table_name: str, records_retention: timedelta = timedelta(hours=24)) -> None:
        records = OwnedRecords(
            record_format=ITEM_FORMAT, client=client, table_name=table_name, records_retention=records_retention
        )
        super().__init__(records)
