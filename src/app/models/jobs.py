"""Bulk import and export jobs: what the API returns (*Created, *Public) and the job records behind them."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class JobStatus(StrEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


# defer_build: pydantic builds a model's validator and serializer when it is first used, as every model here
# (models/items.py): the worker and the jobs routes each use a few of these models per request kind.
class _CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, defer_build=True)


class UploadForm(BaseModel):
    """A presigned POST: send `fields` as form fields, then the file as the last field, named `file`."""

    model_config = ConfigDict(defer_build=True)

    url: str
    fields: dict[str, str]


class ImportCreated(_CamelModel):
    import_id: str
    status: JobStatus
    upload: UploadForm
    expires_at: datetime = Field(description="When the upload form stops working")


class LineError(BaseModel):
    model_config = ConfigDict(defer_build=True)

    line: int = Field(ge=1, description="Line number in the file, counting from 1")
    message: str


class ImportPublic(_CamelModel):
    import_id: str
    status: JobStatus
    imported: int
    rejected: int
    errors: list[LineError] = Field(description="The first 100 rejected lines")
    failure_reason: str | None = Field(default=None, description="Why the import stopped, once FAILED")


class ExportCreated(_CamelModel):
    export_id: str
    status: JobStatus


class ExportPublic(_CamelModel):
    export_id: str
    status: JobStatus
    item_count: int | None = Field(description="Set once COMPLETED")
    download_url: str | None = Field(description="A presigned GET of the JSONL file, once COMPLETED")
    expires_at: datetime | None = Field(description="When download_url stops working")
    failure_reason: str | None = Field(default=None, description="Why the export stopped, once FAILED")


class ImportJob(BaseModel):
    """An import's record. next_line/next_offset mark where the file's unprocessed part starts."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    owner: str
    import_id: str
    status: JobStatus
    created_at: datetime
    request_id: str
    imported: int = 0
    rejected: int = 0
    errors: tuple[LineError, ...] = ()
    next_line: int = 1
    next_offset: int = 0
    version_id: str | None = None  # the uploaded object's version, fixed when processing starts
    failure_reason: str | None = None
    # Set while the final attempt of a message runs: when the run is killed, the job has failed at this time.
    attempt_deadline: datetime | None = None
    generation: int = 0  # hand-overs to a continuation message so far

    def advanced(self, progress: "ImportProgress") -> "ImportJob":
        """The record once a chunk's progress is committed (the status is the committer's business)."""
        return self.model_copy(
            update={
                "next_line": progress.next_line,
                "next_offset": progress.next_offset,
                "imported": self.imported + progress.imported,
                "rejected": self.rejected + progress.rejected,
                "errors": self.errors + progress.errors,
            }
        )


class ExportCheckpoint(BaseModel):
    """Where an export stands after its last uploaded part: the multipart upload and the query position."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    upload_id: str | None = None
    etags: tuple[str, ...] = ()  # of the uploaded parts, numbered from 1
    exported: int = 0  # items in the uploaded parts
    last_item_id: str | None = None  # the last of them: the query resumes after it
    sequence: int = 0  # checkpoints committed so far; each one is conditional on the previous


class ExportJob(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    owner: str
    export_id: str
    status: JobStatus
    created_at: datetime
    request_id: str
    item_count: int | None = None
    failure_reason: str | None = None
    attempt_deadline: datetime | None = None
    checkpoint: ExportCheckpoint = Field(default_factory=ExportCheckpoint)
    generation: int = 0  # hand-overs to a continuation message so far


class ImportProgress(BaseModel):
    """What one chunk of an import adds to its record, committed together with the new position."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    next_line: int
    next_offset: int
    imported: int
    rejected: int
    errors: tuple[LineError, ...]
    finished: bool
