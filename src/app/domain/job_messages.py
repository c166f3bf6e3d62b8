"""What arrives on the job queues, as the worker's messages: S3 notifications of uploads, and our own messages.

Only the worker parses queue bodies, so the API functions never build these models at cold start.
"""

import json
from typing import Annotated

from pydantic import BaseModel, Field, TypeAdapter

from app.domain.jobs import ExportContinued, ExportRequested, ImportContinued, ImportUploaded, parse_import_key

JobMessage = Annotated[
    ExportRequested | ExportContinued | ImportUploaded | ImportContinued, Field(discriminator="kind")
]
_job_message: TypeAdapter[JobMessage] = TypeAdapter(JobMessage)


class _S3Object(BaseModel):
    key: str
    version_id: str | None = Field(default=None, alias="versionId")


class _S3Entity(BaseModel):
    object: _S3Object


class _S3Record(BaseModel):
    event_name: str = Field(alias="eventName")
    s3: _S3Entity


class _S3Notification(BaseModel):
    records: list[_S3Record] = Field(alias="Records")


def parse_job_messages(body: str) -> list[JobMessage]:
    """The jobs in a queue message body: one of our own messages, or an S3 notification of uploaded imports.

    Raises ValueError (pydantic's ValidationError is one) for anything else, so a malformed message fails every
    attempt and ends in the dead-letter queue.
    """
    document = json.loads(body)
    if isinstance(document, dict) and "Records" in document:
        uploads: list[JobMessage] = []
        for record in _S3Notification.model_validate(document).records:
            parsed = parse_import_key(record.s3.object.key)
            if record.event_name.startswith("ObjectCreated:") and parsed is not None:
                owner, import_id = parsed
                uploads.append(ImportUploaded(owner=owner, import_id=import_id, version_id=record.s3.object.version_id))
        return uploads
    if isinstance(document, dict) and document.get("Event") == "s3:TestEvent":
        return []  # S3 sends one when the notification is configured
    return [_job_message.validate_python(document)]
