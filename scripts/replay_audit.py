"""Replays the audit function's on-failure queue from the stream coordinates in its messages (`make replay-audit`).

    python scripts/replay_audit.py --stack items-prod    # a deployed stack: invokes its AuditFunction
    python scripts/replay_audit.py --local               # the local stack (make dev): runs the handler here

A message in AuditFailuresQueue is what Lambda sends when a stream batch exhausts its retries: no records, only
their coordinates (DDBStreamBatchInfo: streamArn, shardId, start and end sequence numbers). For each message, the
records are read again from the stream (GetShardIterator AT_SEQUENCE_NUMBER, GetRecords up to the end sequence
number) and given to the audit function as its event source mapping would, and the message is deleted once every
record was recorded. Replays are idempotent: an entry's key derives from its record and is written on condition
that it does not exist, so a record replayed twice, or already recorded, leaves one entry.

A stream keeps records 24 hours: a message whose records are gone, or whose records fail again, stays in the queue
(reported; the exit status is 1), invisible for a while so the replay ends. Fix the cause first.
"""

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

REPO_ROOT = Path(__file__).resolve().parents[1]
LOCAL_OUTPUTS = REPO_ROOT / ".aws-sam" / "local" / "outputs.json"
HIDE_SECONDS = 300  # a message left in the queue stays invisible this long: the replay does not see it again
GONE = frozenset({"TrimmedDataAccessException", "ResourceNotFoundException", "ExpiredIteratorException"})

Invoke = Callable[[dict[str, Any]], bool]  # the audit function on an event; True if every record was recorded


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as Lambda delivers it: creation time in epoch seconds, the stream's ARN."""
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "dynamodb": dynamodb, "eventSourceARN": stream_arn}


def batch_records(streams: Any, info: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of one failed batch, from its first to its last sequence number."""
    iterator = streams.get_shard_iterator(
        StreamArn=info["streamArn"],
        ShardId=info["shardId"],
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber=info["startSequenceNumber"],
    ).get("ShardIterator")
    end, records = int(info["endSequenceNumber"]), []
    while iterator:
        page = streams.get_records(ShardIterator=iterator, Limit=1000)
        for record in page["Records"]:
            if int(record["dynamodb"]["SequenceNumber"]) > end:
                return records
            records.append(lambda_record(record, info["streamArn"]))
        if not page["Records"]:  # the end of what the shard holds so far
            return records
        iterator = page.get("NextShardIterator")
    return records


def replay(sqs: Any, streams: Any, queue_url: str, invoke: Invoke) -> tuple[int, int]:
    """Replays every visible message of the queue; returns (replayed and deleted, left in the queue)."""
    replayed = left = 0
    while messages := sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=HIDE_SECONDS
    ).get("Messages", []):
        for message in messages:
            problem = replay_one(streams, json.loads(message["Body"]).get("DDBStreamBatchInfo", {}), invoke)
            if problem:
                print(f"left in the queue: {message['MessageId']}: {problem}", file=sys.stderr)
                left += 1
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            replayed += 1
    return replayed, left


def replay_one(streams: Any, info: dict[str, Any], invoke: Invoke) -> str | None:
    """None once the batch is recorded; otherwise why not."""
    if not {"streamArn", "shardId", "startSequenceNumber", "endSequenceNumber"} <= info.keys():
        return "not a stream batch's failure (no DDBStreamBatchInfo)"
    try:
        records = batch_records(streams, info)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in GONE:
            return f"the stream no longer holds these records ({error.response['Error']['Code']})"
        raise
    if not records:
        return "the stream no longer holds these records"
    if not invoke({"Records": records}):
        return f"the audit function failed on {len(records)} records again"
    return None


def deployed_function(function_name: str) -> Invoke:
    client = boto3.client("lambda")

    def invoke(event: dict[str, Any]) -> bool:
        response = client.invoke(FunctionName=function_name, Payload=json.dumps(event).encode())
        result = json.loads(response["Payload"].read() or b"{}")
        return "FunctionError" not in response and not result.get("batchItemFailures")

    return invoke


def local_function(outputs: dict[str, Any]) -> Invoke:
    """The audit handler in this process, with AuditFunction's local environment (env.json), on the local stack."""
    environment = json.loads((REPO_ROOT / "env.json").read_text())["AuditFunction"]
    environment |= {"AWS_ENDPOINT_URL": outputs["AwsEndpointUrl"], "AUDIT_TABLE_NAME": outputs["AuditTableName"]}
    os.environ.update(environment | {"AWS_DEFAULT_REGION": outputs["Region"], "POWERTOOLS_TRACE_DISABLED": "true"})
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    sys.path.insert(0, str(REPO_ROOT / "src"))
    from app.handlers.audit import handler

    def invoke(event: dict[str, Any]) -> bool:
        try:
            return not handler(event, _Context())["batchItemFailures"]
        except Exception as error:
            print(f"the audit function failed: {error}", file=sys.stderr)
            return False

    return invoke


class _Context:
    function_name = "AuditFunction"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:AuditFunction"
    memory_limit_in_mb = 256
    aws_request_id = "replay-audit"
    log_group_name = "/aws/lambda/AuditFunction"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 60_000


def main(arguments: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", help="the deployed stack")
    parser.add_argument("--local", action="store_true", help="the local stack started by `make dev`")
    parser.add_argument("--outputs", type=Path, default=LOCAL_OUTPUTS, help=argparse.SUPPRESS)
    options = parser.parse_args(arguments)
    if options.local:
        outputs = json.loads(options.outputs.read_text())
        endpoint = outputs["AwsEndpointUrl"]
        queue_url, invoke = outputs["AuditFailuresQueueUrl"], local_function(outputs)
    elif options.stack:
        endpoint = None
        resources = boto3.client("cloudformation")

        def physical(logical_id: str) -> str:
            detail = resources.describe_stack_resource(StackName=options.stack, LogicalResourceId=logical_id)
            return str(detail["StackResourceDetail"]["PhysicalResourceId"])

        queue_url, invoke = physical("AuditFailuresQueue"), deployed_function(physical("AuditFunction"))
    else:
        parser.error("name the deployed stack with --stack NAME, or use --local")
    sqs = boto3.client("sqs", endpoint_url=endpoint)
    replayed, left = replay(sqs, boto3.client("dynamodbstreams", endpoint_url=endpoint), queue_url, invoke)
    print(f"{replayed} failed batches replayed, {left} left in the queue")
    return 1 if left else 0


if __name__ == "__main__":
    raise SystemExit(main())
