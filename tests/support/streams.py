"""DynamoDB stream records of the items table, shaped as Lambda delivers them, and reading them from moto."""

import itertools
import uuid
from datetime import datetime
from typing import Any

from botocore.config import Config

from app.adapters.item_format import stored_attributes
from app.models.items import ItemPublic

STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/items/stream/2026-11-28T00:00:00.000"
TTL_IDENTITY = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
_sequence = itertools.count(100_000_000_000_000_000_000)


def item_image(owner: str, item: ItemPublic) -> dict[str, Any]:
    """The item as the items table stores it (and as stream images show it)."""
    return stored_attributes(owner, item)


def stream_record(
    event_name: str,
    *,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    at: int = 1_795_860_000,
    sequence_number: str | None = None,
    event_id: str | None = None,
    identity: dict[str, str] | None = None,
) -> dict[str, Any]:
    image = new or old or {}
    dynamodb: dict[str, Any] = {
        "ApproximateCreationDateTime": at,
        "Keys": {name: image[name] for name in ("pk", "sk") if name in image},
        "SequenceNumber": sequence_number or str(next(_sequence)),
        "SizeBytes": 300,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if new is not None:
        dynamodb["NewImage"] = new
    if old is not None:
        dynamodb["OldImage"] = old
    record = {
        "eventID": event_id or uuid.uuid4().hex,
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": dynamodb,
        "eventSourceARN": STREAM_ARN,
    }
    if identity is not None:
        record["userIdentity"] = identity
    return record


def lambda_event(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Records": records}


def sequence_numbers(event: dict[str, Any]) -> list[str]:
    return [record["dynamodb"]["SequenceNumber"] for record in event["Records"]]


def streams_client() -> Any:
    import boto3

    # botocore sends DynamoDB Streams calls naming a stream to an account endpoint that moto does not serve.
    return boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))


def read_stream(stream_arn: str) -> list[dict[str, Any]]:
    """Every record in the stream (moto keeps one shard), converted to what Lambda puts in the event."""
    client = streams_client()
    records: list[dict[str, Any]] = []
    for shard in client.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        iterator = client.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records += client.get_records(ShardIterator=iterator)["Records"]
    return [_as_lambda_record(record, stream_arn) for record in records]


def _as_lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    dynamodb = dict(record["dynamodb"])
    created = dynamodb["ApproximateCreationDateTime"]
    # boto3 parses the timestamp; Lambda events carry epoch seconds.
    dynamodb["ApproximateCreationDateTime"] = int(created.timestamp()) if isinstance(created, datetime) else created
    return {**record, "dynamodb": dynamodb, "eventVersion": "1.1", "eventSourceARN": stream_arn}
