"""DynamoDB storage of items: the shared owned-record storage (app.adapters.owned_records) for the ITEMS kind.

Keys: pk OWNER#<owner>, sk ITEM#<id>; creation records CREATE#<key>, tombstones DELETED#<id> (see owned_records).
"""

from datetime import datetime, timedelta
from typing import Any

from app.adapters.owned_record_format import OwnedRecordFormat
from app.adapters.owned_records import OwnedRecords
from app.domain.resource_kinds import ITEMS
from app.models.items import ItemPublic, ItemUpdate
from app.services.items import ItemPage

ITEM_FORMAT = OwnedRecordFormat(
    ITEMS, ItemPublic, frozenset(field.alias or name for name, field in ItemPublic.model_fields.items())
)


def item_from_attributes(attributes: dict[str, Any]) -> ItemPublic:
    return ITEM_FORMAT.from_attributes(attributes)


def stored_attributes(owner: str, item: ItemPublic) -> dict[str, Any]:
    return ITEM_FORMAT.stored_attributes(owner, item)


class DynamoDBItemRepository:
    """The ItemRepository port (item_id keywords) on the shared storage."""

    def __init__(self, *, client: Any, table_name: str, records_retention: timedelta = timedelta(hours=24)) -> None:
        self._records = OwnedRecords(
            record_format=ITEM_FORMAT, client=client, table_name=table_name, records_retention=records_retention
        )

    def add(self, *, owner: str, item: ItemPublic, creation_key: str | None = None) -> ItemPublic:
        return self._records.add(owner=owner, record=item, creation_key=creation_key)

    def get(self, *, owner: str, item_id: str) -> ItemPublic:
        return self._records.get(owner=owner, record_id=item_id)

    def was_created(self, *, owner: str, item_id: str) -> bool:
        return self._records.was_created(owner=owner, record_id=item_id)

    def list_newest_first(self, *, owner: str, limit: int, after_id: str | None) -> ItemPage:
        return self._records.list_newest_first(owner=owner, limit=limit, after_id=after_id)

    def replace(
        self, *, owner: str, item_id: str, fields: ItemUpdate, expected_version: int | None, updated_at: datetime
    ) -> ItemPublic:
        return self._records.replace(
            owner=owner, record_id=item_id, fields=fields, expected_version=expected_version, updated_at=updated_at
        )

    def delete(self, *, owner: str, item_id: str, expected_version: int | None) -> None:
        self._records.delete(owner=owner, record_id=item_id, expected_version=expected_version)
