"""Export rules: every item of the owner, oldest first, one JSON line each in the shape of GET /items/{id}.

An export continues like an import: after every uploaded part it checkpoints the multipart upload (its id and
the parts' ETags) and the query position (the last item in those parts) in the job record, conditionally on
the previous checkpoint. When time runs low it hands over to a continuation message, which resumes the upload
after the last checkpointed item; whatever was buffered since is read again. The object only appears when the
upload completes, so a reader never sees a partial export.
"""

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import NamedTuple, Protocol

from app.domain.jobs import ExportContinued, export_key
from app.models.items import ItemPublic
from app.models.jobs import ExportCheckpoint, ExportJob


class ExportProgress(Protocol):
    def checkpoint_export(self, *, owner: str, export_id: str, checkpoint: ExportCheckpoint) -> bool:
        """Saves the checkpoint unless the record is no longer at checkpoint.sequence - 1 (False)."""
        ...


class ExportRecords(Protocol):
    def complete_export(self, *, owner: str, export_id: str, item_count: int) -> None: ...

    def hand_over(self, *, owner: str, kind: str, job_id: str, generation: int) -> None: ...


class ItemSource(Protocol):
    def all_items(self, *, owner: str, after_id: str | None) -> Iterable[ItemPublic]: ...


class FileUpload(Protocol):
    upload_id: str | None
    etags: tuple[str, ...]

    def write(self, data: bytes) -> bool:
        """True when the data completed a part, which was uploaded."""
        ...

    def complete(self) -> None: ...


class ExportFiles(Protocol):
    def open_upload(self, *, key: str, upload_id: str | None, etags: tuple[str, ...]) -> FileUpload: ...

    def abort_upload(self, *, key: str, upload_id: str) -> None: ...


class Continuations(Protocol):
    def send(self, message: ExportContinued) -> None: ...


class ExportOutcome(StrEnum):
    COMPLETED = "COMPLETED"
    CONTINUED = "CONTINUED"  # time ran low: a continuation message resumes from the last checkpoint
    SUPERSEDED = "SUPERSEDED"  # another delivery of the same job checkpointed first; it carries on


class ExportRun(NamedTuple):
    outcome: ExportOutcome
    exported: int  # items in the file (COMPLETED) or in its checkpointed parts


def export_line(item: ItemPublic) -> bytes:
    # The same serialisation the resolver applies to a GET /items/{id} response: aliases, JSON mode, nulls kept.
    return item.model_dump_json(by_alias=True).encode() + b"\n"


class ExportProcessor:
    def __init__(
        self,
        *,
        progress: ExportProgress,
        records: ExportRecords,
        items: ItemSource,
        files: ExportFiles,
        continuations: Continuations,
        min_remaining_ms: int,
    ) -> None:
        self._progress = progress
        self._records = records
        self._items = items
        self._files = files
        self._continuations = continuations
        self._min_remaining_ms = min_remaining_ms

    def run(self, job: ExportJob, *, remaining_ms: Callable[[], int]) -> ExportRun:
        """Writes the file from the job's checkpoint on, until it is complete or time runs low."""
        key = export_key(job.owner, job.export_id)
        saved = [job.checkpoint]  # the last checkpoint committed, updated by _write
        upload = self._files.open_upload(key=key, upload_id=job.checkpoint.upload_id, etags=job.checkpoint.etags)
        try:
            run = self._write(job, upload, remaining_ms, saved)
        except BaseException:
            self._abort_unsaved(key, upload, saved[-1])
            raise
        if run.outcome == ExportOutcome.SUPERSEDED:
            self._abort_unsaved(key, upload, saved[-1])
        return run

    def abandon(self, job: ExportJob) -> None:
        """The job FAILED: its checkpointed upload will never complete, so abort it now."""
        if job.checkpoint.upload_id is not None:
            self._files.abort_upload(key=export_key(job.owner, job.export_id), upload_id=job.checkpoint.upload_id)

    def _abort_unsaved(self, key: str, upload: FileUpload, saved: ExportCheckpoint) -> None:
        # An upload this run started but never checkpointed cannot be resumed by anyone.
        if upload.upload_id is not None and upload.upload_id != saved.upload_id:
            self._files.abort_upload(key=key, upload_id=upload.upload_id)

    def _write(
        self, job: ExportJob, upload: FileUpload, remaining_ms: Callable[[], int], saved: list[ExportCheckpoint]
    ) -> ExportRun:
        count = job.checkpoint.exported
        for item in self._items.all_items(owner=job.owner, after_id=job.checkpoint.last_item_id):
            # Only a run that checkpointed hands over: every invocation moves the export on by at least a part.
            if len(saved) > 1 and remaining_ms() < self._min_remaining_ms:
                self._continue_later(job)
                return ExportRun(ExportOutcome.CONTINUED, saved[-1].exported)
            count += 1
            if not upload.write(export_line(item)):
                continue
            checkpoint = ExportCheckpoint(
                upload_id=upload.upload_id,
                etags=upload.etags,
                exported=count,
                last_item_id=item.id,
                sequence=saved[-1].sequence + 1,
            )
            if not self._progress.checkpoint_export(owner=job.owner, export_id=job.export_id, checkpoint=checkpoint):
                return ExportRun(ExportOutcome.SUPERSEDED, count)
            saved.append(checkpoint)
        upload.complete()
        self._records.complete_export(owner=job.owner, export_id=job.export_id, item_count=count)
        return ExportRun(ExportOutcome.COMPLETED, count)

    def _continue_later(self, job: ExportJob) -> None:
        generation = job.generation + 1
        self._continuations.send(
            ExportContinued(owner=job.owner, export_id=job.export_id, request_id=job.request_id, generation=generation)
        )
        # As for imports: sent first, then older messages are stale and no final attempt's deadline holds.
        self._records.hand_over(owner=job.owner, kind="export", job_id=job.export_id, generation=generation)
