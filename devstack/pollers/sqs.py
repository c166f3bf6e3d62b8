"""SQS -> function: BatchSize, MaximumBatchingWindowInSeconds and ReportBatchItemFailures as Lambda applies them.

Failed messages are not deleted: they reappear after the queue's visibility timeout, and moto moves them to the
dead-letter queue once they have been received maxReceiveCount times, as SQS does.

Lambda requires a queue's visibility timeout to be at least its function's timeout, so a message never comes back
while its batch still runs. --time-scale can shorten it below that; then the poller keeps the batch's messages
invisible while the function runs (what the unscaled timeout did), and only a failed batch, or a batch whose stack
died, comes back after the shortened timeout.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from devstack.execution.context import FunctionError
from devstack.execution.function import FunctionRuntime
from devstack.pollers.base import Poller, batch_item_failures

LOG = logging.getLogger("devstack")
_MAX_RECEIVE = 10  # ReceiveMessage returns at most 10 messages; larger batches take several receives


@dataclass(frozen=True)
class SqsSource:
    queue_url: str
    queue_arn: str
    batch_size: int = 10
    batching_window: float = 0.0
    report_failures: bool = False
    visibility_timeout: int = 30  # seconds, as the queue has it (scaled)


def _message_attribute(value: dict[str, Any]) -> dict[str, Any]:
    attribute: dict[str, Any] = {"stringListValues": [], "binaryListValues": [], "dataType": value["DataType"]}
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        attribute["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode("ascii")
    return attribute


def sqs_record(message: dict[str, Any], source: SqsSource, region: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {k: _message_attribute(v) for k, v in message.get("MessageAttributes", {}).items()},
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": source.queue_arn,
        "awsRegion": region,
    }


class SqsPoller(Poller):
    """As Lambda's SQS pollers: several of them (one per environment of the function), each receiving a batch and
    invoking the function with it, so that batches run side by side."""

    def __init__(self, source: SqsSource, runtime: FunctionRuntime, client: Any, stop: threading.Event) -> None:
        super().__init__(f"sqs:{runtime.logical_id}", stop, workers=runtime.pool.size)
        self.source = source
        self.runtime = runtime
        self.client = client

    def _receive(self, count: int, wait: float) -> list[dict[str, Any]]:
        response = self.client.receive_message(
            QueueUrl=self.source.queue_url,
            MaxNumberOfMessages=min(count, _MAX_RECEIVE),
            WaitTimeSeconds=int(wait),
            MessageAttributeNames=["All"],
            MessageSystemAttributeNames=["All"],
        )
        messages: list[dict[str, Any]] = response.get("Messages", [])
        return messages

    def _collect(self) -> list[dict[str, Any]]:
        """Waits for a first message, then fills the batch until BatchSize or the batching window ends."""
        messages = self._receive(self.source.batch_size, wait=1)
        deadline = time.monotonic() + self.source.batching_window
        while messages and len(messages) < self.source.batch_size and not self.stop_event.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            messages += self._receive(self.source.batch_size - len(messages), wait=min(1.0, remaining))
        return messages

    def _failed_ids(self, messages: list[dict[str, Any]]) -> set[str]:
        """Ids of the messages to leave in the queue: all of them when the function failed as a whole."""
        region = self.client.meta.region_name
        event = {"Records": [sqs_record(message, self.source, region) for message in messages]}
        ids = [message["MessageId"] for message in messages]
        try:
            with self._kept_invisible(messages):
                result = self.runtime.invoke(event)
        except FunctionError:
            return set(ids)
        failed = batch_item_failures(result, ids) if self.source.report_failures else set()
        return set(ids) if failed is None else failed

    @contextmanager
    def _kept_invisible(self, messages: list[dict[str, Any]]) -> Iterator[None]:
        visibility = self.source.visibility_timeout
        if visibility >= self.runtime.function.timeout or visibility < 1:
            yield
            return
        finished = threading.Event()
        heartbeat = threading.Thread(target=self._extend, args=(messages, finished), daemon=True)
        heartbeat.start()
        try:
            yield
        finally:
            finished.set()
            heartbeat.join()

    def _extend(self, messages: list[dict[str, Any]], finished: threading.Event) -> None:
        visibility = self.source.visibility_timeout
        while not finished.wait(visibility / 3):  # well before it runs out, even on a loaded machine
            for start in range(0, len(messages), _MAX_RECEIVE):
                entries = [
                    {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"], "VisibilityTimeout": visibility}
                    for index, message in enumerate(messages[start : start + _MAX_RECEIVE])
                ]
                try:
                    self.client.change_message_visibility_batch(QueueUrl=self.source.queue_url, Entries=entries)
                except (BotoCoreError, ClientError) as error:
                    LOG.warning("%s: could not keep messages invisible: %s", self.name, error)

    def _delete_messages(self, messages: list[dict[str, Any]]) -> None:
        for start in range(0, len(messages), _MAX_RECEIVE):
            chunk = messages[start : start + _MAX_RECEIVE]
            entries = [{"Id": str(index), "ReceiptHandle": m["ReceiptHandle"]} for index, m in enumerate(chunk)]
            self.client.delete_message_batch(QueueUrl=self.source.queue_url, Entries=entries)

    def poll_once(self) -> None:
        messages = self._collect()
        if not messages:
            return
        failed = self._failed_ids(messages)
        self._delete_messages([message for message in messages if message["MessageId"] not in failed])
        arn, function = self.source.queue_arn, self.runtime.logical_id
        LOG.info("SQS %s -> %s: %s messages, %s failed", arn, function, len(messages), len(failed))
