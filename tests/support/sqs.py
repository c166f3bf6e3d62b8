"""SQS events as Lambda's event source mapping delivers them, and a poller that plays the mapping against moto."""

import time
import uuid
from collections.abc import Callable
from typing import Any

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:items-local-ImportQueue"


def sqs_record(
    body: str,
    *,
    message_id: str | None = None,
    receive_count: int = 1,
    queue_arn: str = QUEUE_ARN,
    receipt_handle: str = "handle",
    message_attributes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": receipt_handle,
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": str(receive_count),
            "SentTimestamp": str(int(time.time() * 1000)),
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": str(int(time.time() * 1000)),
        },
        "messageAttributes": message_attributes or {},
        "md5OfBody": "0" * 32,
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": "us-east-1",
    }


def sqs_event(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Records": records}


def _lambda_attributes(message: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {
            "stringValue": value["StringValue"],
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": value["DataType"],
        }
        for name, value in message.get("MessageAttributes", {}).items()
    }


def poll_once(
    sqs: Any,
    queue_url: str,
    queue_arn: str,
    handler: Callable[[dict[str, Any], Any], dict[str, Any]],
    context: Any,
    batch_size: int = 10,
) -> int:
    """One poll of an event source mapping with ReportBatchItemFailures: receive a batch, invoke, delete the
    successes, and make the failures visible again at once (as the visibility timeout would, later).

    Returns the number of messages received. A handler that raises fails the whole batch, as in Lambda.
    """
    received = sqs.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=batch_size,
        AttributeNames=["All"],
        MessageAttributeNames=["All"],
    ).get("Messages", [])
    if not received:
        return 0
    records = [
        sqs_record(
            message["Body"],
            message_id=message["MessageId"],
            receive_count=int(message["Attributes"]["ApproximateReceiveCount"]),
            queue_arn=queue_arn,
            receipt_handle=message["ReceiptHandle"],
            message_attributes=_lambda_attributes(message),
        )
        for message in received
    ]
    try:
        failed = {failure["itemIdentifier"] for failure in handler(sqs_event(records), context)["batchItemFailures"]}
    except Exception:
        failed = {record["messageId"] for record in records}
    for message in received:
        if message["MessageId"] in failed:
            sqs.change_message_visibility(
                QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        else:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return len(received)


def end_delays(queue_url: str) -> list[str]:
    """Ends the DelaySeconds of the queue's delayed messages now, as if it had passed (moto in this process);
    returns their bodies."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.sqs.models import sqs_backends

    region = queue_url.split("sqs.", 1)[1].split(".", 1)[0] if "sqs." in queue_url else "us-east-1"
    queue = sqs_backends[DEFAULT_ACCOUNT_ID][region].queues[queue_url.rsplit("/", 1)[1]]
    delayed = [message for message in queue._messages if message.delayed]
    for message in delayed:
        message.delayed_until = 0
    return [message.body for message in delayed]
