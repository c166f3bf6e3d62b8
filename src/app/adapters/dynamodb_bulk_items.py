"""An owner's items read in bulk for exports: a paginated Query of the partition, resumable after any item.

(Imports write their items inside the transaction that commits each chunk: adapters/dynamodb_job_progress.)
"""

from collections.abc import Iterator
from typing import Any

from app.adapters.aws import unavailable_on_transient_errors
from app.adapters.item_format import item_from_attributes
from app.adapters.items_table import ITEM_PREFIX, item_key, owner_key
from app.models.items import ItemPublic


class DynamoDBBulkItems:
    def __init__(self, *, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def all_items(self, *, owner: str, after_id: str | None) -> Iterator[ItemPublic]:
        """Every item of the owner, oldest first (after `after_id` if given), one page in memory at a time.

        No Limit: DynamoDB's own 1 MB page (a few thousand items) means the fewest round trips for bounded memory.
        """
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": owner_key(owner)}, ":prefix": {"S": ITEM_PREFIX}},
        }
        if after_id is not None:
            # A deleted item's key is still a position: the Query resumes at the next key after it.
            request["ExclusiveStartKey"] = item_key(owner, after_id)
        while True:
            with unavailable_on_transient_errors():
                response = self._client.query(**request)
            page, next_key = response.get("Items", []), response.get("LastEvaluatedKey")
            del response  # only one page may be alive when the next one is parsed
            for attributes in page:
                yield item_from_attributes(attributes)
            del page
            if next_key is None:
                return
            request["ExclusiveStartKey"] = next_key
