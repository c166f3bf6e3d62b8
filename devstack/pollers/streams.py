"""DynamoDB stream -> function with Lambda's retry rules.

BatchSize, StartingPosition, MaximumRetryAttempts (-1: until the record expires, which locally means forever),
BisectBatchOnFunctionError, ReportBatchItemFailures (retry from the first failed record) and an OnFailure SQS
destination receiving the same invocation record Lambda sends.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from devstack.execution.context import FunctionError
from devstack.execution.function import FunctionRuntime
from devstack.pollers.base import Poller, batch_item_failures

LOG = logging.getLogger("devstack")
_IDLE_SECONDS = 0.25  # Lambda polls a shard about four times a second
_RETRY_PAUSE_SECONDS = 0.5


@dataclass(frozen=True)
class StreamSource:
    stream_arn: str
    batch_size: int = 100
    starting_position: str = "LATEST"
    max_retries: int = -1
    bisect: bool = False
    report_failures: bool = False
    on_failure: str | None = None  # destination ARN
    max_record_age: int = -1  # seconds; -1: no limit


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    dynamodb = dict(record["dynamodb"])
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):  # boto3 parses it; the event carries epoch seconds
        dynamodb["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "dynamodb": dynamodb, "eventVersion": "1.1", "eventSourceARN": stream_arn}


def failure_record(
    batch: list[dict[str, Any]], source: StreamSource, *, shard_id: str, function_arn: str, invokes: int, condition: str
) -> str:
    """What Lambda sends to an OnFailure destination when a stream batch exhausts its retries."""
    sequence = [record["dynamodb"]["SequenceNumber"] for record in batch]
    arrival = [datetime.fromtimestamp(r["dynamodb"].get("ApproximateCreationDateTime", 0), UTC) for r in batch]
    return json.dumps(
        {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": function_arn,
                "condition": condition,
                "approximateInvokeCount": invokes,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": sequence[0],
                "endSequenceNumber": sequence[-1],
                "approximateArrivalOfFirstRecord": arrival[0].isoformat().replace("+00:00", "Z"),
                "approximateArrivalOfLastRecord": arrival[-1].isoformat().replace("+00:00", "Z"),
                "batchSize": len(batch),
                "streamArn": source.stream_arn,
            },
        }
    )


class StreamPoller(Poller):
    def __init__(
        self, source: StreamSource, runtime: FunctionRuntime, clients: dict[str, Any], stop: threading.Event
    ) -> None:
        super().__init__(f"stream:{runtime.logical_id}", stop)
        self.source = source
        self.runtime = runtime
        self.streams = clients["dynamodbstreams"]
        self.sqs = clients["sqs"]
        self.iterators: dict[str, str] = {}
        self.shard_id = ""  # the shard being processed, for failure records

    def _open_shards(self) -> None:
        shards = self.streams.describe_stream(StreamArn=self.source.stream_arn)["StreamDescription"]["Shards"]
        position = "TRIM_HORIZON" if self.source.starting_position == "TRIM_HORIZON" else "LATEST"
        for shard in shards:
            if shard["ShardId"] not in self.iterators:
                self.iterators[shard["ShardId"]] = self.streams.get_shard_iterator(
                    StreamArn=self.source.stream_arn, ShardId=shard["ShardId"], ShardIteratorType=position
                )["ShardIterator"]

    def poll_once(self) -> None:
        if not self.iterators:
            self._open_shards()
        received = 0
        for shard_id, iterator in list(self.iterators.items()):
            response = self.streams.get_records(ShardIterator=iterator, Limit=self.source.batch_size)
            self.iterators[shard_id] = response["NextShardIterator"]
            records = [lambda_record(record, self.source.stream_arn) for record in response["Records"]]
            received += len(records)
            if records:
                self.shard_id = shard_id
                self._process(records)
        if not received:
            self.stop_event.wait(_IDLE_SECONDS)

    def _failed_from(self, batch: list[dict[str, Any]]) -> int | None:
        """Index of the first record to retry (0: the whole batch), or None when the batch succeeded."""
        sequence = [record["dynamodb"]["SequenceNumber"] for record in batch]
        try:
            result = self.runtime.invoke({"Records": batch})
        except FunctionError:
            return 0
        failed = batch_item_failures(result, sequence) if self.source.report_failures else set()
        if failed is None:
            return 0
        return min((sequence.index(number) for number in failed), default=None)

    def _process(self, records: list[dict[str, Any]]) -> None:
        pending: list[tuple[list[dict[str, Any]], int]] = [(records, 0)]  # (batch, retries so far)
        while pending and not self.stop_event.is_set():
            batch, retries = pending.pop(0)
            if self._too_old(batch):
                self._give_up(batch, retries, "RecordAgeExceeded")
                continue
            failed_from = self._failed_from(batch)
            if failed_from is None:
                LOG.info("stream -> %s: %s records processed", self.runtime.logical_id, len(batch))
                continue
            remaining = batch[failed_from:]
            if self.source.bisect and len(remaining) > 1:
                half = len(remaining) // 2
                pending[:0] = [(remaining[:half], retries + 1), (remaining[half:], retries + 1)]
            elif 0 <= self.source.max_retries <= retries:
                self._give_up(remaining, retries + 1, "RetryAttemptsExhausted")
            else:
                LOG.info("stream -> %s: retrying %s records", self.runtime.logical_id, len(remaining))
                self.stop_event.wait(_RETRY_PAUSE_SECONDS)
                pending.insert(0, (remaining, retries + 1))

    def _too_old(self, batch: list[dict[str, Any]]) -> bool:
        if self.source.max_record_age < 0:
            return False
        oldest = min(record["dynamodb"].get("ApproximateCreationDateTime", 0) for record in batch)
        return bool(time.time() - oldest > self.source.max_record_age)

    def _give_up(self, batch: list[dict[str, Any]], invokes: int, condition: str) -> None:
        LOG.warning("stream -> %s: %s records skipped (%s)", self.runtime.logical_id, len(batch), condition)
        destination = self.source.on_failure
        if destination is None:
            return
        if ":sqs:" not in destination:
            LOG.warning("OnFailure destination %s is not emulated locally (only SQS is)", destination)
            return
        account, queue = destination.split(":")[4], destination.split(":")[5]
        url = self.sqs.get_queue_url(QueueName=queue, QueueOwnerAWSAccountId=account)["QueueUrl"]
        self.sqs.send_message(
            QueueUrl=url,
            MessageBody=failure_record(
                batch,
                self.source,
                shard_id=self.shard_id,
                function_arn=self.runtime.arn,
                invokes=invokes,
                condition=condition,
            ),
        )
