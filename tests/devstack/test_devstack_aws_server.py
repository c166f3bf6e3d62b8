"""The embedded AWS evaluates a DynamoDB condition and writes atomically, as DynamoDB does (bare moto does not)."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from devstack.aws_server import start_aws
from devstack.servers import HttpServer

CONTENDERS = 8
TRIALS = 25


@pytest.fixture(scope="module")
def server() -> Iterator[HttpServer]:
    running = start_aws("127.0.0.1", 0)
    yield running
    running.stop()


def local_client(server: HttpServer, service: str, **options: Any) -> Any:
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=f"http://127.0.0.1:{server.port}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        **options,
    )


def create_table(dynamodb: Any, name: str, **options: Any) -> None:
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        **options,
    )


@pytest.fixture(scope="module")
def dynamodb(server: HttpServer) -> Any:
    retries = Config(retries={"mode": "standard", "max_attempts": 1}, max_pool_connections=CONTENDERS)
    client = local_client(server, "dynamodb", config=retries)
    create_table(client, "race")
    return client


def _claim(dynamodb: Any, key: str, contender: int, start: threading.Barrier) -> str:
    """WON, or the error code of a refused update."""
    start.wait()
    try:
        dynamodb.update_item(
            TableName="race",
            Key={"pk": {"S": key}},
            UpdateExpression="SET version = :next, winner = :me",
            ConditionExpression="version = :seen",
            ExpressionAttributeValues={":seen": {"N": "1"}, ":next": {"N": "2"}, ":me": {"N": str(contender)}},
        )
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return "WON"


def test_concurrent_conditional_updates_have_exactly_one_winner(dynamodb: Any) -> None:
    """Given an item at version 1, when 8 clients update it at once on "version = 1", then exactly one succeeds,
    in every trial. (Without the server's lock, two winners showed up in about one trial of ten.)"""
    winners_per_trial = []
    with ThreadPoolExecutor(CONTENDERS) as pool:
        for trial in range(TRIALS):
            key = f"item-{trial}"
            dynamodb.put_item(TableName="race", Item={"pk": {"S": key}, "version": {"N": "1"}})
            start = threading.Barrier(CONTENDERS)
            outcomes = list(pool.map(lambda n: _claim(dynamodb, key, n, start), range(CONTENDERS)))  # noqa: B023
            winners_per_trial.append(outcomes.count("WON"))
            assert set(outcomes) == {"WON", "ConditionalCheckFailedException"}

    assert winners_per_trial == [1] * TRIALS


def test_other_services_are_not_serialised(server: HttpServer) -> None:
    """A long SQS poll does not hold DynamoDB (or anything else) back."""
    endpoint = f"http://127.0.0.1:{server.port}"
    options: dict[str, Any] = {"endpoint_url": endpoint, "region_name": "us-east-1"}
    credentials: dict[str, Any] = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    sqs = boto3.client("sqs", **options, **credentials)
    queue = sqs.create_queue(QueueName="idle")["QueueUrl"]
    with ThreadPoolExecutor(1) as pool:
        polling = pool.submit(sqs.receive_message, QueueUrl=queue, WaitTimeSeconds=2)
        tables = boto3.client("dynamodb", **options, **credentials).list_tables()["TableNames"]
        assert not polling.done()
        polling.result()
    assert isinstance(tables, list)


def test_a_transaction_copies_no_table(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Moto copies every table a transaction names, stream included, to roll it back: a chunk of an import cost
    as much as the table. The undo log copies only the items at the transaction's keys."""
    import copy

    from moto.dynamodb import models

    copied: list[str] = []
    original = copy.deepcopy

    def counting_deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        copied.append(type(value).__name__)
        return original(value, memo)

    monkeypatch.setattr(copy, "deepcopy", counting_deepcopy)
    puts = [{"Put": {"TableName": "race", "Item": {"pk": {"S": f"transaction-{number}"}}}} for number in range(25)]

    dynamodb.transact_write_items(TransactItems=puts)

    assert "Table" not in copied  # moto alone copies the table once per item: 25 times
    assert models.copy is copy  # type: ignore[attr-defined]  # the stand-in lives only during the transaction
    stored = dynamodb.batch_get_item(RequestItems={"race": {"Keys": [{"pk": {"S": "transaction-24"}}]}})
    assert stored["Responses"]["race"] == [{"pk": {"S": "transaction-24"}}]


def test_a_refused_transaction_is_still_rolled_back(dynamodb: Any) -> None:
    dynamodb.put_item(TableName="race", Item={"pk": {"S": "kept"}, "version": {"N": "1"}})
    refused = [
        {"Put": {"TableName": "race", "Item": {"pk": {"S": "rolled-back"}}}},
        {
            "Update": {
                "TableName": "race",
                "Key": {"pk": {"S": "kept"}},
                "UpdateExpression": "SET version = :two",
                "ConditionExpression": "version = :nine",
                "ExpressionAttributeValues": {":two": {"N": "2"}, ":nine": {"N": "9"}},
            }
        },
    ]

    with pytest.raises(ClientError) as refusal:
        dynamodb.transact_write_items(TransactItems=refused)

    assert refusal.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert "Item" not in dynamodb.get_item(TableName="race", Key={"pk": {"S": "rolled-back"}})
    assert dynamodb.get_item(TableName="race", Key={"pk": {"S": "kept"}})["Item"]["version"] == {"N": "1"}


def test_a_stream_reader_sees_writes_after_a_refused_transaction(server: HttpServer, dynamodb: Any) -> None:
    """Moto's rollback swaps in a copy of the table, stream included; a reader's iterator must not go stale."""
    create_table(dynamodb, "streamed", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    streams = local_client(server, "dynamodbstreams")
    arn = dynamodb.describe_table(TableName="streamed")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    dynamodb.put_item(TableName="streamed", Item={"pk": {"S": "before"}})
    refused = [
        {"Put": {"TableName": "streamed", "Item": {"pk": {"S": "rolled-back"}}}},
        {
            "Put": {
                "TableName": "streamed",
                "Item": {"pk": {"S": "before"}},
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        },
    ]
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=refused)
    dynamodb.put_item(TableName="streamed", Item={"pk": {"S": "after"}})

    records = streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]

    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in records] == ["before", "after"]
    numbers = [int(record["dynamodb"]["SequenceNumber"]) for record in records]
    assert numbers == sorted(set(numbers))
