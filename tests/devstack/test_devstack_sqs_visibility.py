"""Under --time-scale a queue's visibility timeout can be shorter than its function's timeout, which Lambda does not
allow: the SQS poller keeps a running batch invisible, so it is not delivered a second time while it runs."""

import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from moto import mock_aws

from devstack.pollers.sqs import SqsPoller, SqsSource

VISIBILITY = 1  # seconds: the queue's, scaled
RUN_SECONDS = 3.5


class SlowRuntime:
    """A function with a 10 s timeout whose run lasts 3.5 s; meanwhile a second consumer tries to receive."""

    logical_id = "SlowFunction"
    arn = "arn:aws:lambda:us-east-1:123456789012:function:slow"
    pool = SimpleNamespace(size=1)
    function = SimpleNamespace(timeout=10)

    def __init__(self, sqs: Any, queue_url: str) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.seen_by_others: list[str] = []

    def invoke(self, event: dict[str, Any]) -> None:
        deadline = time.monotonic() + RUN_SECONDS
        while time.monotonic() < deadline:
            messages = self.sqs.receive_message(QueueUrl=self.queue_url, WaitTimeSeconds=0).get("Messages", [])
            self.seen_by_others += [message["MessageId"] for message in messages]
            time.sleep(0.25)


@pytest.fixture
def sqs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("sqs")


def test_a_running_batch_is_not_delivered_again_and_is_deleted_after(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": str(VISIBILITY)})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="work")
    runtime = SlowRuntime(sqs, url)
    source = SqsSource(
        queue_url=url, queue_arn="arn:aws:sqs:us-east-1:123456789012:jobs", visibility_timeout=VISIBILITY
    )
    poller = SqsPoller(source, runtime, sqs, threading.Event())  # type: ignore[arg-type]

    poller.poll_once()

    assert runtime.seen_by_others == []
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"]) == (
        "0",
        "0",
    )
