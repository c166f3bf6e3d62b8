"""Job messages sent to an SQS queue, as JSON bodies with the originating request id as a message attribute."""

from typing import Any

from app.adapters.aws import unavailable_on_transient_errors
from app.domain.jobs import QueueMessage


class SqsJobMessages:
    def __init__(self, *, client: Any, queue_url: str) -> None:
        self._client = client
        self._queue_url = queue_url

    def send(self, message: QueueMessage, *, delay_seconds: int = 0) -> None:
        attributes = {}
        if message.request_id:
            # Visible in the console and to redrive tools without parsing the body.
            attributes["requestId"] = {"DataType": "String", "StringValue": message.request_id}
        with unavailable_on_transient_errors():
            self._client.send_message(
                QueueUrl=self._queue_url,
                MessageBody=message.model_dump_json(by_alias=True),
                MessageAttributes=attributes,
                DelaySeconds=delay_seconds,
            )
