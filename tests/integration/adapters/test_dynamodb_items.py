"""DynamoDB specifics the contract cannot see: Query only (never Scan), bounded reads, error translation."""

from decimal import Decimal
from typing import Any

import pytest
from botocore.stub import Stubber

from app.adapters.dynamodb_items import DynamoDBItemRepository
from app.domain.errors import DependencyUnavailableError
from app.domain.ids import new_item_id
from devstack.names import Names
from tests.integration.adapters.test_item_repository_contract import make_item


@pytest.fixture
def repository(names: Names, dynamodb: Any) -> DynamoDBItemRepository:
    return DynamoDBItemRepository(client=dynamodb, table_name=names["ItemsTable"])


def test_list_is_one_query_reading_at_most_limit_plus_one(repository: DynamoDBItemRepository, dynamodb: Any) -> None:
    for n in range(30):
        repository.add(owner="alice", item=make_item(name=f"n{n}"))
    calls: list[tuple[str, dict[str, Any]]] = []
    dynamodb.meta.events.register(
        "provide-client-params.dynamodb.*", lambda params, model, **_: calls.append((model.name, params))
    )

    page = repository.list_newest_first(owner="alice", limit=10, after_id=None)

    assert [name for name, _ in calls] == ["Query"]
    assert calls[0][1]["Limit"] == 11
    assert len(page.items) == 10


def test_items_are_stored_under_the_owner_partition_with_an_entity_marker(
    repository: DynamoDBItemRepository, dynamodb: Any, names: Names
) -> None:
    item = make_item()
    repository.add(owner="alice", item=item)

    stored = dynamodb.get_item(
        TableName=names["ItemsTable"], Key={"pk": {"S": "OWNER#alice"}, "sk": {"S": f"ITEM#{item.id}"}}
    )

    assert stored["Item"]["entity"] == {"S": "Item"}
    assert stored["Item"]["updatedBy"] == {"S": "alice"}
    assert Decimal(stored["Item"]["price"]["N"]) == Decimal("12.50")


@pytest.mark.parametrize(
    "code",
    ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "InternalServerError"],
)
def test_throttling_after_retries_is_dependency_unavailable(
    repository: DynamoDBItemRepository, dynamodb: Any, code: str
) -> None:
    with Stubber(dynamodb) as stubber:
        for _ in range(3):
            stubber.add_client_error("get_item", service_error_code=code, http_status_code=400)
        with pytest.raises(DependencyUnavailableError):
            repository.get(owner="alice", item_id=new_item_id())


def test_unreachable_dynamodb_is_dependency_unavailable(names: Names) -> None:
    import boto3
    from botocore.config import Config

    unreachable = boto3.client(
        "dynamodb",
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=0.2, read_timeout=0.2),
    )
    repository = DynamoDBItemRepository(client=unreachable, table_name=names["ItemsTable"])

    with pytest.raises(DependencyUnavailableError):
        repository.get(owner="alice", item_id=new_item_id())
