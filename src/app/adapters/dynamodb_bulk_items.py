"""Many items at once, for imports and exports: BatchWriteItem in chunks of 25, and a paginated read of a partition."""

import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from botocore.exceptions import ClientError

from app.adapters.aws import error_code, unavailable_on_transient_errors
from app.adapters.dynamodb_items import ITEM_PREFIX, item_from_attributes, owner_key, stored_attributes
from app.domain.errors import DependencyUnavailableError
from app.models.items import ItemPublic

BATCH_WRITE_LIMIT = 25  # DynamoDB refuses more requests in one BatchWriteItem
# UnprocessedItems means the partition is throttling: back off exponentially with full jitter, for at most
# about 6 s in all, then give up and let the message be redelivered from the last committed position.
MAX_WRITE_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 0.05
BACKOFF_CAP_SECONDS = 3.0


class DynamoDBBulkItems:
    def __init__(self, *, client: Any, table_name: str, sleep: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self._table = table_name
        self._sleep = sleep

    def put_all(self, *, owner: str, items: Sequence[ItemPublic]) -> None:
        """Writes the items, replacing any with the same id (BatchWriteItem has no conditions)."""
        for start in range(0, len(items), BATCH_WRITE_LIMIT):
            chunk = items[start : start + BATCH_WRITE_LIMIT]
            self._write_batch([{"PutRequest": {"Item": stored_attributes(owner, item)}} for item in chunk])

    def put_new(self, *, owner: str, items: Sequence[ItemPublic]) -> None:
        """Writes the items that do not exist yet and leaves the others as they are (one conditional put each)."""
        for item in items:
            try:
                with unavailable_on_transient_errors():
                    self._client.put_item(
                        TableName=self._table,
                        Item=stored_attributes(owner, item),
                        ConditionExpression="attribute_not_exists(pk)",
                    )
            except ClientError as error:
                if error_code(error) != "ConditionalCheckFailedException":
                    raise

    def all_items(self, *, owner: str) -> Iterator[ItemPublic]:
        """Every item of the owner, oldest first, one page in memory at a time.

        No Limit: DynamoDB's own 1 MB page (a few thousand items) means the fewest round trips for bounded memory.
        """
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": owner_key(owner)}, ":prefix": {"S": ITEM_PREFIX}},
        }
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

    def _write_batch(self, requests: list[dict[str, Any]]) -> None:
        pending = requests
        for attempt in range(MAX_WRITE_ATTEMPTS):
            with unavailable_on_transient_errors():
                response = self._client.batch_write_item(RequestItems={self._table: pending})
            pending = response.get("UnprocessedItems", {}).get(self._table, [])
            if not pending:
                return
            self._sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt)))  # noqa: S311
        raise DependencyUnavailableError("DynamoDB kept throttling the batch writes.")
