"""The embedded AWS's DynamoDB at an import's size: a refused transaction is undone by key, a stream keeps its
recent records only, and what moto no longer holds is freed."""

import gc
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.models.table import StreamRecord

from devstack.aws_server import start_aws
from devstack.dynamodb import stream_retention
from devstack.servers import HttpServer


@pytest.fixture(scope="module")
def server() -> Iterator[HttpServer]:
    running = start_aws("127.0.0.1", 0)
    yield running
    running.stop()


def client(server: HttpServer, service: str) -> Any:
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, endpoint_url=f"http://127.0.0.1:{server.port}", region_name="us-east-1", **credentials)  # type: ignore[call-overload]


def streamed_table(server: HttpServer, name: str) -> tuple[Any, Any, str, str]:
    """A table with a sort key and a NEW_AND_OLD_IMAGES stream: its client, streams client, stream and shard."""
    dynamodb, streams = client(server, "dynamodb"), client(server, "dynamodbstreams")
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"} for key in ("pk", "sk")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    arn = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    return dynamodb, streams, arn, shard


def key(sort: str) -> dict[str, Any]:
    return {"pk": {"S": "owner"}, "sk": {"S": sort}}


def test_a_refused_transaction_undoes_its_applied_actions(server: HttpServer) -> None:
    """Given an item updated in place and another deleted by the first actions of a transaction whose last action
    is refused, then both are as before and the stream has no record of any of it."""
    dynamodb, streams, arn, shard = streamed_table(server, "undone")
    dynamodb.put_item(TableName="undone", Item=key("updated") | {"version": {"N": "1"}, "tags": {"L": []}})
    dynamodb.put_item(TableName="undone", Item=key("deleted") | {"version": {"N": "1"}})
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    update = {
        "TableName": "undone",
        "Key": key("updated"),
        "UpdateExpression": "SET version = :two, tags = list_append(tags, :tag)",
        "ExpressionAttributeValues": {":two": {"N": "2"}, ":tag": {"L": [{"S": "x"}]}},
    }
    absent = {"TableName": "undone", "Key": key("absent"), "ConditionExpression": "attribute_exists(pk)"}
    refused = [
        {"Update": update},
        {"Delete": {"TableName": "undone", "Key": key("deleted")}},
        {"Put": {"TableName": "undone", "Item": key("new")}},
        {"ConditionCheck": absent},
    ]

    with pytest.raises(ClientError, match="TransactionCanceledException"):
        dynamodb.transact_write_items(TransactItems=refused)

    stored = dynamodb.scan(TableName="undone")["Items"]
    assert sorted(stored, key=lambda item: item["sk"]["S"]) == [
        key("deleted") | {"version": {"N": "1"}},
        key("updated") | {"version": {"N": "1"}, "tags": {"L": []}},
    ]
    assert streams.get_records(ShardIterator=latest)["Records"] == []


def test_a_stream_keeps_its_newest_records_with_their_sequence_numbers(
    server: HttpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a shard bounded to 10 records, when 40 are written, then a reader from the shard's start gets the
    oldest kept ones, sequence numbers go on rising, and the dropped records are freed."""
    monkeypatch.setattr(stream_retention, "MAX_RECORDS", 10)
    dynamodb, streams, arn, shard = streamed_table(server, "bounded")
    oldest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    for number in range(40):
        dynamodb.put_item(TableName="bounded", Item=key(f"{number:02}"))

    page = streams.get_records(ShardIterator=oldest["ShardIterator"])
    later = streams.get_records(ShardIterator=page["NextShardIterator"])

    read = [record["dynamodb"]["Keys"]["sk"]["S"] for record in page["Records"] + later["Records"]]
    assert read == [f"{number:02}" for number in range(40 - len(read), 40)]
    assert 10 <= len(read) <= 11  # a tenth over the bound is dropped at once
    numbers = [int(record["dynamodb"]["SequenceNumber"]) for record in page["Records"]]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    gc.collect()
    dropped = {f"{number:02}" for number in range(40)} - set(read)
    # Every stream record moto still holds, this module's other tables' and earlier tests' (without a sort key) too.
    alive = {r.record["dynamodb"]["Keys"].get("sk", {}).get("S") for r in StreamRecord.instances_tracked}  # type: ignore[attr-defined]
    assert not dropped & alive


def test_used_stream_iterators_are_forgotten(server: HttpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given iterators forgotten as soon as used (DynamoDB: 15 minutes after made), when a reader polls 50 times,
    then moto keeps its next iterator only, and that one still reads on."""
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    from devstack.dynamodb import stream_iterators

    dynamodb, streams, arn, shard = streamed_table(server, "polled")
    backend = dynamodbstreams_backends["123456789012"]["us-east-1"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    monkeypatch.setattr(stream_iterators, "LIFETIME_SECONDS", 0)
    before = len(backend.shard_iterators)
    for _ in range(50):
        iterator = streams.get_records(ShardIterator=iterator)["NextShardIterator"]
    dynamodb.put_item(TableName="polled", Item=key("after"))

    assert len(backend.shard_iterators) <= before  # moto alone: 50 more
    assert [
        record["dynamodb"]["Keys"]["sk"]["S"] for record in streams.get_records(ShardIterator=iterator)["Records"]
    ] == ["after"]
