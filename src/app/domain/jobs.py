"""Rules shared by the jobs API and the worker: object keys, limits, and the messages between them."""

from typing import Literal
from urllib.parse import unquote_plus

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from app.domain.ids import is_item_id

IMPORTS_PREFIX = "imports/"
EXPORTS_PREFIX = "exports/"
JSONL_SUFFIX = ".jsonl"
JSONL_CONTENT_TYPE = "application/x-ndjson"
# Presigned URLs are bearer tokens to a customer's data: short-lived, and never longer than 15 minutes.
URL_TTL_SECONDS = 15 * 60
MAX_REPORTED_ERRORS = 100
MAX_ERROR_MESSAGE_CHARS = 300  # 100 errors stay far below DynamoDB's 400 KB item limit
# The same cap as a POST /items body: a line is one item in that shape.
MAX_LINE_BYTES = 64 * 1024
# S3's own name for the version of an object written while versioning was off.
NULL_VERSION = "null"


def import_key(owner: str, import_id: str) -> str:
    return f"{IMPORTS_PREFIX}{owner}/{import_id}{JSONL_SUFFIX}"


def export_key(owner: str, export_id: str) -> str:
    return f"{EXPORTS_PREFIX}{owner}/{export_id}{JSONL_SUFFIX}"


def parse_import_key(raw_key: str) -> tuple[str, str] | None:
    """(owner, import id) of an uploaded object's key as S3 notifications spell it (URL-encoded), else None."""
    key = unquote_plus(raw_key)
    if not key.startswith(IMPORTS_PREFIX) or not key.endswith(JSONL_SUFFIX):
        return None
    # The owner is everything between the prefix and the last slash: a subject may itself contain a slash.
    owner, _, file_name = key.removeprefix(IMPORTS_PREFIX).rpartition("/")
    import_id = file_name.removesuffix(JSONL_SUFFIX)
    if not owner or not is_item_id(import_id):
        return None
    return owner, import_id


class QueueMessage(BaseModel):
    """What every job message carries."""

    # defer_build: the jobs API function sends only ExportRequested, and builds it on its first POST /exports; the
    # worker's message parser (app.domain.job_messages) builds its own validator of every kind at init.
    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, frozen=True, defer_build=True
    )

    owner: str = Field(min_length=1)
    # The API request that started the job, for log correlation (S3 notifications cannot carry it).
    request_id: str | None = None
    # Hand-overs before this message: a continuation carries the job's count + 1. A message with fewer than the
    # job records is stale (a newer message carries the job on), and the worker deletes it without running it.
    generation: int = Field(default=0, ge=0)


class ExportRequested(QueueMessage):
    """Body of an export queue message, sent by POST /exports."""

    kind: Literal["export.requested"] = "export.requested"
    export_id: str


class ExportContinued(QueueMessage):
    """Body of an export queue message the worker sends itself when time runs out in the middle of an export.

    The multipart upload and the query position are not in the message but in the job record's checkpoint.
    """

    kind: Literal["export.continued"] = "export.continued"
    export_id: str


class _ImportMessage(QueueMessage):
    import_id: str
    version_id: str | None = None  # None only in a bucket without versioning


class ImportUploaded(_ImportMessage):
    """An import file arrived: what an S3 ObjectCreated notification means to the worker."""

    kind: Literal["import.uploaded"] = "import.uploaded"


class ImportContinued(_ImportMessage):
    """Body of an import queue message the worker sends itself when time runs out in the middle of a file.

    The position is not in the message but in the job record, where it is committed with every chunk.
    """

    kind: Literal["import.continued"] = "import.continued"
