"""Rules of the jobs API: start imports and exports, report on them. The work itself happens in the worker."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from app.domain.clock import utc_now
from app.domain.errors import JobNotFoundError
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
    """Job records, partitioned by owner. get_* raise JobNotFoundError."""

    def add_import(self, job: ImportJob) -> None: ...

    def get_import(self, *, owner: str, import_id: str) -> ImportJob: ...

    def add_export(self, job: ExportJob) -> None: ...

    def get_export(self, *, owner: str, export_id: str) -> ExportJob: ...


class FileTransfers(Protocol):
    """Presigned URLs for the jobs bucket: the client moves the bytes, not the API."""

    def presign_upload(self, *, key: str, max_bytes: int, expires_in: int) -> UploadForm: ...

    def presign_download(self, *, key: str, expires_in: int) -> str: ...


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
