"""Rules of the jobs API: start imports and exports, report on them, delete finished ones. The work itself happens
in the worker."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from app.domain.clock import utc_now
from app.domain.errors import JobNotFinishedError, JobNotFoundError
from app.domain.ids import is_item_id, new_item_id
from app.domain.jobs import URL_TTL_SECONDS, ExportRequested, export_key, import_key
from app.models.jobs import (
    ExportCreated,
    ExportJob,
    ExportPublic,
    ImportCreated,
    ImportJob,
    ImportPublic,
    JobStatus,
    UploadForm,
)

STOPPED_ON_FINAL_ATTEMPT = (
    "The job was stopped during its final attempt (it ran out of time or memory) and was given up;"
    " operators have been alerted."
)


class JobRecords(Protocol):
    """Job records, partitioned by owner. get_* raise JobNotFoundError.

    delete_* delete the record only if it is still deletable at `now` (see JobService.delete_import): else
    JobNotFinishedError, or JobNotFoundError when there is no record. A retried delete that was applied succeeds.
    """

    def add_import(self, job: ImportJob) -> None: ...

    def get_import(self, *, owner: str, import_id: str) -> ImportJob: ...

    def add_export(self, job: ExportJob) -> None: ...

    def get_export(self, *, owner: str, export_id: str) -> ExportJob: ...

    def delete_import(self, *, owner: str, import_id: str, now: datetime) -> None: ...

    def delete_export(self, *, owner: str, export_id: str, now: datetime) -> None: ...


class FileTransfers(Protocol):
    """Presigned URLs for the jobs bucket: the client moves the bytes, not the API. The API only deletes files."""

    def presign_upload(self, *, key: str, max_bytes: int, expires_in: int) -> UploadForm: ...

    def presign_download(self, *, key: str, expires_in: int) -> str: ...

    def delete_file(self, *, key: str) -> None:
        """Deletes the object if there is one; deleting a missing one succeeds (so does a retry)."""


class ExportRequests(Protocol):
    def send(self, message: ExportRequested) -> None: ...


class JobService:
    def __init__(
        self,
        *,
        records: JobRecords,
        files: FileTransfers,
        export_requests: ExportRequests,
        import_max_bytes: int,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], str] = new_item_id,
    ) -> None:
        self._records = records
        self._files = files
        self._export_requests = export_requests
        self._import_max_bytes = import_max_bytes
        self._clock = clock
        self._new_id = new_id

    def create_import(self, *, owner: str, request_id: str) -> ImportCreated:
        now = self._clock()
        job = ImportJob(
            owner=owner, import_id=self._new_id(), status=JobStatus.PENDING, created_at=now, request_id=request_id
        )
        upload = self._files.presign_upload(
            key=import_key(owner, job.import_id), max_bytes=self._import_max_bytes, expires_in=URL_TTL_SECONDS
        )
        # The record exists before anyone can upload, so the worker always finds the job of a file.
        self._records.add_import(job)
        return ImportCreated(
            import_id=job.import_id,
            status=job.status,
            upload=upload,
            expires_at=now + timedelta(seconds=URL_TTL_SECONDS),
        )

    def get_import(self, *, owner: str, import_id: str) -> ImportPublic:
        self._check_id(import_id)
        job = self._records.get_import(owner=owner, import_id=import_id)
        status, reason = self._reported(job)
        return ImportPublic(
            import_id=job.import_id,
            status=status,
            imported=job.imported,
            rejected=job.rejected,
            errors=list(job.errors),
            failure_reason=reason,
        )

    def create_export(self, *, owner: str, request_id: str) -> ExportCreated:
        job = ExportJob(
            owner=owner,
            export_id=self._new_id(),
            status=JobStatus.PENDING,
            created_at=self._clock(),
            request_id=request_id,
        )
        # Record first, message second: the worker must find the record of every message it receives.
        self._records.add_export(job)
        self._export_requests.send(ExportRequested(owner=owner, export_id=job.export_id, request_id=request_id))
        return ExportCreated(export_id=job.export_id, status=job.status)

    def get_export(self, *, owner: str, export_id: str) -> ExportPublic:
        self._check_id(export_id)
        job = self._records.get_export(owner=owner, export_id=export_id)
        if job.status != JobStatus.COMPLETED:
            status, reason = self._reported(job)
            return ExportPublic(
                export_id=job.export_id,
                status=status,
                item_count=None,
                download_url=None,
                expires_at=None,
                failure_reason=reason,
            )
        # A fresh URL on every call: it is short-lived, and the file outlives it.
        url = self._files.presign_download(key=export_key(owner, export_id), expires_in=URL_TTL_SECONDS)
        return ExportPublic(
            export_id=job.export_id,
            status=job.status,
            item_count=job.item_count,
            download_url=url,
            expires_at=self._clock() + timedelta(seconds=URL_TTL_SECONDS),
        )

    def delete_import(self, *, owner: str, import_id: str) -> None:
        """Deletes a finished import, or one still waiting for its upload: its uploaded file, then its record.

        The file goes first and the record last, on the condition that the job is still deletable: a delete stopped
        half-way (a timeout, a 503) leaves the record, so a repeat finds it and completes; once the record is gone,
        a repeat is 404. An import nobody works on yet is deletable: the worker starts only on a record that exists,
        and reads the version it started with, which a delete in a versioned bucket does not remove.
        """
        self._check_id(import_id)
        job = self._records.get_import(owner=owner, import_id=import_id)
        self._check_finished(job, waiting_is_finished=True)
        self._files.delete_file(key=import_key(owner, import_id))
        self._records.delete_import(owner=owner, import_id=import_id, now=self._clock())

    def delete_export(self, *, owner: str, export_id: str) -> None:
        """Deletes a COMPLETED or FAILED export: its file, then its record (as delete_import). A PENDING export is
        queued: the worker may start it at any moment, so it is JobNotFinishedError like a running one."""
        self._check_id(export_id)
        job = self._records.get_export(owner=owner, export_id=export_id)
        self._check_finished(job, waiting_is_finished=False)
        self._files.delete_file(key=export_key(owner, export_id))
        self._records.delete_export(owner=owner, export_id=export_id, now=self._clock())

    def _check_finished(self, job: ImportJob | ExportJob, *, waiting_is_finished: bool) -> None:
        status, _ = self._reported(job)
        finished = {JobStatus.COMPLETED, JobStatus.FAILED} | ({JobStatus.PENDING} if waiting_is_finished else set())
        if status not in finished:
            raise JobNotFinishedError()

    def _reported(self, job: ImportJob | ExportJob) -> tuple[JobStatus, str | None]:
        """The status and failure reason the owner sees.

        A final attempt records when Lambda ends its run; a job still PROCESSING after that was stopped without
        a chance to say so (killed at its timeout, out of memory), and its message is in the dead-letter queue.
        """
        if job.status == JobStatus.PROCESSING and job.attempt_deadline and self._clock() > job.attempt_deadline:
            return JobStatus.FAILED, STOPPED_ON_FINAL_ATTEMPT
        return job.status, job.failure_reason if job.status == JobStatus.FAILED else None

    @staticmethod
    def _check_id(job_id: str) -> None:
        # A malformed id cannot exist: answer 404 without a round trip to DynamoDB.
        if not is_item_id(job_id):
            raise JobNotFoundError()
