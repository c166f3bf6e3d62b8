"""The fault-injection harness itself: each fault does to a real client on moto what AWS and the network do."""

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from app.adapters.aws import CLIENT_CONFIG
from devstack.names import Names
from tests.support.faults import FaultInjector

# botocore's retries "max_attempts" counts retries: a call makes one attempt more than that.
ATTEMPTS = CLIENT_CONFIG.retries["max_attempts"] + 1  # type: ignore[attr-defined]
KEY = {"pk": {"S": "OWNER#alice"}, "sk": {"S": "ITEM#1"}}


@pytest.fixture
def client(names: Names, faults: FaultInjector) -> Any:
    return boto3.client("dynamodb", config=CLIENT_CONFIG)


def put(client: Any, names: Names, **options: Any) -> Any:
    return client.put_item(TableName=names["ItemsTable"], Item=KEY | {"n": {"N": "1"}}, **options)


def stored(client: Any, names: Names) -> dict[str, Any] | None:
    item: dict[str, Any] | None = client.get_item(TableName=names["ItemsTable"], Key=KEY).get("Item")
    return item


def test_fail_before_send_applies_nothing_and_botocore_retries(
    client: Any, names: Names, faults: FaultInjector
) -> None:
    faults.fail_before_send("PutItem")

    response = put(client, names)

    assert response["ResponseMetadata"]["RetryAttempts"] == 1
    assert faults.fired == [("PutItem", "fail_before_send")]


def test_fail_before_send_every_attempt_raises_and_nothing_is_stored(
    client: Any, names: Names, faults: FaultInjector
) -> None:
    faults.fail_before_send("PutItem", times=ATTEMPTS)

    with pytest.raises(EndpointConnectionError):
        put(client, names)

    assert stored(client, names) is None


@pytest.mark.parametrize("status", [0, 500])
def test_apply_then_timeout_lets_the_retry_meet_its_own_write(
    client: Any, names: Names, faults: FaultInjector, status: int
) -> None:
    faults.apply_then_timeout("PutItem", status=status)

    with pytest.raises(ClientError) as raised:
        put(
            client, names, ConditionExpression="attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure="ALL_OLD"
        )

    assert raised.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 1
    old_image: Any = dict(raised.value.response).get("Item")
    assert old_image == KEY | {"n": {"N": "1"}}


def test_apply_then_timeout_every_attempt_raises_the_timeout_after_applying(
    client: Any, names: Names, faults: FaultInjector
) -> None:
    faults.apply_then_timeout("PutItem", times=ATTEMPTS)

    with pytest.raises(ReadTimeoutError):
        put(client, names)

    assert stored(client, names) is not None


@pytest.mark.parametrize("code", ["ProvisionedThroughputExceededException", "ThrottlingException"])
def test_throttle_applies_nothing_until_it_stops(client: Any, names: Names, faults: FaultInjector, code: str) -> None:
    faults.throttle("PutItem", times=ATTEMPTS, code=code)

    with pytest.raises(ClientError) as raised:
        put(client, names)
    assert raised.value.response["Error"]["Code"] == code
    assert stored(client, names) is None

    faults.throttle("PutItem", times=ATTEMPTS - 1, code=code)
    assert put(client, names)["ResponseMetadata"]["RetryAttempts"] == ATTEMPTS - 1
    assert stored(client, names) is not None


def test_skip_table_and_where_select_the_attempts_hit(client: Any, names: Names, faults: FaultInjector) -> None:
    faults.throttle("PutItem", skip=1, table=names["ItemsTable"], where=lambda body: "n" in body["Item"])
    elsewhere = FaultInjector().fail_before_send("PutItem", table="another-table")
    faults.faults.append(elsewhere)

    first = put(client, names)
    second = put(client, names)
    faults.faults.remove(elsewhere)

    assert first["ResponseMetadata"]["RetryAttempts"] == 0
    assert second["ResponseMetadata"]["RetryAttempts"] == 1
    assert faults.fired == [("PutItem", "throttle")]
    assert elsewhere.fired == 0


def test_a_client_made_before_the_injector_is_attached(names: Names) -> None:
    early = boto3.client("dynamodb", config=CLIENT_CONFIG)
    injector = FaultInjector()
    injector.attach(early)
    injector.throttle("GetItem")

    response = early.get_item(TableName=names["ItemsTable"], Key=KEY)

    assert response["ResponseMetadata"]["RetryAttempts"] == 1
    assert injector.unfired() == []
