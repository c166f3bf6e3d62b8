"""Moves the messages of a dead-letter queue back to the queue they came from (`make redrive`).

    python scripts/redrive.py ImportDeadLetterQueue --stack items-prod    # a deployed stack, by logical id
    python scripts/redrive.py ImportQueue --stack items-prod              # the same, naming the source queue
    python scripts/redrive.py ImportDeadLetterQueue --local               # the local stack (make dev)
    python scripts/redrive.py https://sqs.eu-west-1.amazonaws.com/123456789012/items-prod-ImportDeadLetterQueue

SQS's own redrive (StartMessageMoveTask) is used where the endpoint offers it; elsewhere (moto) the messages are
received, sent to the source queue with their attributes, and deleted, ten at a time. Redrive after fixing the
cause: the worker resumes an import from its last committed position, and restarts an export.
"""

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

LOCAL_OUTPUTS = Path(__file__).resolve().parents[1] / ".aws-sam" / "local" / "outputs.json"
UNSUPPORTED = frozenset({"UnsupportedOperation", "InvalidAction", "NotImplemented", "InternalFailure"})
POLL_SECONDS = 2


def queue_name(arn: str) -> str:
    return arn.rsplit(":", 1)[-1]


def resolve_url(queue: str, *, stack: str | None, outputs: Path | None) -> tuple[str, str | None]:
    """(queue URL, endpoint URL or None) for a URL, or a logical id of the deployed or of the local stack."""
    if queue.startswith(("https://", "http://")):
        return queue, None
    if outputs is not None:
        values = json.loads(outputs.read_text())
        if f"{queue}Url" not in values:
            raise SystemExit(f"{outputs} has no output {queue}Url")
        return str(values[f"{queue}Url"]), values.get("AwsEndpointUrl")
    if stack is None:
        raise SystemExit("a logical id needs --stack NAME (or --local)")
    resource = boto3.client("cloudformation").describe_stack_resource(StackName=stack, LogicalResourceId=queue)
    return str(resource["StackResourceDetail"]["PhysicalResourceId"]), None


def dead_letter_pair(sqs: Any, url: str) -> tuple[str, str]:
    """(dead-letter queue URL, source queue URL), from either of the two."""
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"]).get("Attributes", {})
    if "RedrivePolicy" in attributes:
        dead_letter_arn = json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"]
        return sqs.get_queue_url(QueueName=queue_name(dead_letter_arn))["QueueUrl"], url
    sources = sqs.list_dead_letter_source_queues(QueueUrl=url).get("queueUrls", [])
    if len(sources) != 1:
        raise SystemExit(f"{url} is the dead-letter queue of {len(sources)} queues; name the source queue instead")
    return url, sources[0]


def arn_of(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def move_with_task(sqs: Any, source_arn: str, destination_arn: str) -> int:
    """SQS moves the messages itself; returns how many it moved."""
    sqs.start_message_move_task(SourceArn=source_arn, DestinationArn=destination_arn)
    while True:
        task = sqs.list_message_move_tasks(SourceArn=source_arn, MaxResults=1)["Results"][0]
        if task["Status"] != "RUNNING":
            if task["Status"] != "COMPLETED":
                raise SystemExit(f"message move task {task['Status']}: {task.get('FailureReason', '')}")
            return int(task.get("ApproximateNumberOfMessagesMoved", 0))
        time.sleep(POLL_SECONDS)


def move_by_copy(sqs: Any, source_url: str, destination_url: str) -> int:
    """Receive, send with the same body and attributes, delete what was sent; returns how many moved."""
    moved = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=source_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], VisibilityTimeout=60
        ).get("Messages", [])
        if not messages:
            return moved
        entries = [
            {
                "Id": str(index),
                "MessageBody": message["Body"],
                "MessageAttributes": message.get("MessageAttributes", {}),
            }
            for index, message in enumerate(messages)
        ]
        sent = {
            entry["Id"] for entry in sqs.send_message_batch(QueueUrl=destination_url, Entries=entries)["Successful"]
        }
        # A message that could not be sent stays in the dead-letter queue and reappears after 60 s.
        done = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages) if str(i) in sent]
        if done:
            sqs.delete_message_batch(QueueUrl=source_url, Entries=done)
        moved += len(done)


def redrive(sqs: Any, url: str) -> int:
    dead_letter_url, source_url = dead_letter_pair(sqs, url)
    print(f"moving messages from {dead_letter_url} back to {source_url}", file=sys.stderr)
    try:
        return move_with_task(sqs, arn_of(sqs, dead_letter_url), arn_of(sqs, source_url))
    except NotImplementedError:
        pass  # moto in process
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in UNSUPPORTED:
            raise
    print("this endpoint has no message move tasks: copying the messages instead", file=sys.stderr)
    return move_by_copy(sqs, dead_letter_url, source_url)


def main(arguments: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("queue", help="a queue URL, or the logical id of a queue or of its dead-letter queue")
    parser.add_argument("--stack", help="the deployed stack holding the logical id")
    parser.add_argument("--local", action="store_true", help="the local stack started by `make dev`")
    parser.add_argument("--outputs", type=Path, default=LOCAL_OUTPUTS, help=argparse.SUPPRESS)
    options = parser.parse_args(arguments)
    url, endpoint = resolve_url(options.queue, stack=options.stack, outputs=options.outputs if options.local else None)
    moved = redrive(boto3.client("sqs", endpoint_url=endpoint), url)
    print(f"{moved} messages moved")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
