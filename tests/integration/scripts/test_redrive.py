"""scripts/redrive.py moves a dead-letter queue's messages back to their source queue, attributes included."""

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from devstack.names import Names
from scripts.redrive import main

ATTRIBUTES = {"requestId": {"DataType": "String", "StringValue": "req-1"}}


@pytest.fixture
def sqs(names: Names) -> Any:
    return boto3.client("sqs")


def fill(sqs: Any, url: str, count: int) -> None:
    for n in range(count):
        sqs.send_message(QueueUrl=url, MessageBody=f"job {n}", MessageAttributes=ATTRIBUTES)


def bodies(sqs: Any, url: str) -> list[str]:
    """The bodies of the messages this test sent (the import queue also holds the bucket's s3:TestEvent)."""
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])["Messages"]
    ours = [message for message in messages if message["Body"].startswith("job")]
    assert all(message["MessageAttributes"] == ATTRIBUTES for message in ours)
    return sorted(message["Body"] for message in ours)


@pytest.mark.parametrize("named", ["ImportDeadLetterQueue", "ImportQueue"])
def test_messages_go_back_to_the_source_queue(sqs: Any, names: Names, named: str) -> None:
    fill(sqs, names["ImportDeadLetterQueue"], 12)

    assert main([names[named]]) == 0

    assert (
        sqs.get_queue_attributes(
            QueueUrl=names["ImportDeadLetterQueue"], AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]["ApproximateNumberOfMessages"]
        == "0"
    )
    moved = bodies(sqs, names["ImportQueue"]) + bodies(sqs, names["ImportQueue"])
    assert sorted(moved) == sorted(f"job {n}" for n in range(12))


def test_a_logical_id_of_the_local_stack_resolves_through_its_outputs(sqs: Any, names: Names, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"ExportDeadLetterQueueUrl": names["ExportDeadLetterQueue"]}))
    fill(sqs, names["ExportDeadLetterQueue"], 2)

    assert main(["ExportDeadLetterQueue", "--local", "--outputs", str(outputs)]) == 0

    assert bodies(sqs, names["ExportQueue"]) == ["job 0", "job 1"]


def test_a_logical_id_without_a_stack_is_refused() -> None:
    with pytest.raises(SystemExit, match="--stack"):
        main(["ImportDeadLetterQueue"])
