"""BatchWriteItem chunks of 25 and the retry of UnprocessedItems, against a stubbed client (no network)."""

from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber

from app.adapters.dynamodb_bulk_items import MAX_WRITE_ATTEMPTS, DynamoDBBulkItems
from app.adapters.dynamodb_items import stored_attributes
from app.domain.errors import DependencyUnavailableError
from app.models.items import ItemPublic

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
TABLE = "items"


def items(count: int) -> list[ItemPublic]:
    return [
        ItemPublic(name=f"item {n}", id=f"01JDQ7Z8X0{n:016d}", version=1, created_at=NOW, updated_at=NOW)
        for n in range(count)
    ]


def put_requests(batch: list[ItemPublic]) -> list[dict[str, object]]:
    return [{"PutRequest": {"Item": stored_attributes("alice", item)}} for item in batch]


@pytest.fixture
def client() -> object:
    return boto3.client("dynamodb", region_name="us-east-1")


def test_writes_go_in_batches_of_25(client: object) -> None:
    batch = items(30)
    sleeps: list[float] = []
    with Stubber(client) as stub:
        stub.add_response("batch_write_item", {}, {"RequestItems": {TABLE: put_requests(batch[:25])}})
        stub.add_response("batch_write_item", {}, {"RequestItems": {TABLE: put_requests(batch[25:])}})

        DynamoDBBulkItems(client=client, table_name=TABLE, sleep=sleeps.append).put_all(owner="alice", items=batch)

        stub.assert_no_pending_responses()
    assert sleeps == []


def test_unprocessed_items_are_retried_after_a_backoff(client: object) -> None:
    batch = items(3)
    sleeps: list[float] = []
    with Stubber(client) as stub:
        stub.add_response(
            "batch_write_item",
            {"UnprocessedItems": {TABLE: put_requests(batch[1:])}},
            {"RequestItems": {TABLE: put_requests(batch)}},
        )
        stub.add_response(
            "batch_write_item",
            {"UnprocessedItems": {TABLE: put_requests(batch[2:])}},
            {"RequestItems": {TABLE: put_requests(batch[1:])}},
        )
        stub.add_response("batch_write_item", {}, {"RequestItems": {TABLE: put_requests(batch[2:])}})

        DynamoDBBulkItems(client=client, table_name=TABLE, sleep=sleeps.append).put_all(owner="alice", items=batch)

        stub.assert_no_pending_responses()
    assert len(sleeps) == 2
    assert all(0 <= pause <= 3 for pause in sleeps)


def test_endless_throttling_gives_up_as_unavailable(client: object) -> None:
    batch = items(1)
    with Stubber(client) as stub:
        for _ in range(MAX_WRITE_ATTEMPTS):
            stub.add_response("batch_write_item", {"UnprocessedItems": {TABLE: put_requests(batch)}})

        with pytest.raises(DependencyUnavailableError):
            DynamoDBBulkItems(client=client, table_name=TABLE, sleep=lambda _: None).put_all(owner="alice", items=batch)


def test_put_new_leaves_existing_items_alone(client: object) -> None:
    batch = items(2)
    with Stubber(client) as stub:
        stub.add_client_error("put_item", service_error_code="ConditionalCheckFailedException")
        stub.add_response("put_item", {})

        DynamoDBBulkItems(client=client, table_name=TABLE).put_new(owner="alice", items=batch)

        stub.assert_no_pending_responses()
