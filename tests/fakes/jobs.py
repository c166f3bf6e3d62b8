"""In-memory job records, files, item writes and queues, with the semantics of the AWS adapters."""

import base64
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.domain.errors import ImportFileMissingError, JobNotFinishedError, JobNotFoundError
from app.domain.jobs import NULL_VERSION, QueueMessage
from app.models.items import ItemPublic
from app.models.jobs import ExportCheckpoint, ExportJob, ImportJob, ImportProgress, JobStatus, UploadForm
from app.services.jobs import JobService

if TYPE_CHECKING:
    from app.services.worker import JobWorker


class InMemoryItemWrites:
    """The items partitioned by owner, as the import transactions write them and the exports read them."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], ItemPublic] = {}
        self.batches: list[int] = []  # the size of every write

    def put_all(self, *, owner: str, items: Sequence[ItemPublic]) -> None:
        self.batches.append(len(items))
        for item in items:
            self.items[(owner, item.id)] = item

    def all_items(self, *, owner: str, after_id: str | None) -> Iterable[ItemPublic]:
        return [
            item
            for (item_owner, item_id), item in sorted(self.items.items())
            if item_owner == owner and (after_id is None or item_id > after_id)
        ]


def _stopped(job: ImportJob | ExportJob, now: datetime) -> bool:
    return job.attempt_deadline is not None and job.attempt_deadline < now


class InMemoryJobRecords:
    """DynamoDBJobRecords and DynamoDBJobProgress: the API's adds and gets, the worker's conditional writes.

    An import chunk's items go to `items` together with its commit, as in the one transaction of the real one.
    """

    def __init__(self, items: InMemoryItemWrites | None = None) -> None:
        self.imports: dict[tuple[str, str], ImportJob] = {}
        self.exports: dict[tuple[str, str], ExportJob] = {}
        self.failures: dict[str, str] = {}
        self.items = items or InMemoryItemWrites()
        self.hand_overs: list[tuple[str, str]] = []

    def add_import(self, job: ImportJob) -> None:
        self.imports[(job.owner, job.import_id)] = job

    def get_import(self, *, owner: str, import_id: str) -> ImportJob:
        try:
            return self.imports[(owner, import_id)]
        except KeyError:
            raise JobNotFoundError() from None

    def add_export(self, job: ExportJob) -> None:
        self.exports[(job.owner, job.export_id)] = job

    def get_export(self, *, owner: str, export_id: str) -> ExportJob:
        try:
            return self.exports[(owner, export_id)]
        except KeyError:
            raise JobNotFoundError() from None

    def delete_import(self, *, owner: str, import_id: str, now: datetime) -> None:
        """As the conditional DeleteItem: any import not being worked on (or whose final attempt was stopped)."""
        job = self.imports.get((owner, import_id))
        if job is None:
            raise JobNotFoundError()
        if job.status == JobStatus.PROCESSING and not _stopped(job, now):
            raise JobNotFinishedError()
        del self.imports[(owner, import_id)]

    def delete_export(self, *, owner: str, export_id: str, now: datetime) -> None:
        """As the conditional DeleteItem: a COMPLETED or FAILED export (or one whose final attempt was stopped)."""
        job = self.exports.get((owner, export_id))
        if job is None:
            raise JobNotFoundError()
        if job.status not in (JobStatus.COMPLETED, JobStatus.FAILED) and not _stopped(job, now):
            raise JobNotFinishedError()
        del self.exports[(owner, export_id)]

    def start_import(
        self,
        *,
        owner: str,
        import_id: str,
        version_id: str | None,
        deadline: datetime | None = None,
        generation: int = 0,
    ) -> ImportJob | None:
        job = self.imports.get((owner, import_id))
        version = version_id or NULL_VERSION
        if job is None or job.status == JobStatus.COMPLETED or job.version_id not in (None, version):
            return None
        if job.generation > generation:
            return None
        started = job.model_copy(
            update={
                "status": JobStatus.PROCESSING,
                "version_id": version,
                "attempt_deadline": deadline,
                "failure_reason": None,
            }
        )
        self.imports[(owner, import_id)] = started
        return started

    def commit_import_chunk(self, job: ImportJob, items: Sequence[ItemPublic], progress: ImportProgress) -> bool:
        current = self.imports[(job.owner, job.import_id)]
        if current.status != JobStatus.PROCESSING or current.next_line != job.next_line:
            return False
        self.items.put_all(owner=job.owner, items=items)
        self.imports[(job.owner, job.import_id)] = current.advanced(progress).model_copy(
            update={"status": JobStatus.COMPLETED if progress.finished else JobStatus.PROCESSING}
        )
        return True

    def fail_import(self, *, owner: str, import_id: str, reason: str) -> None:
        job = self.imports.get((owner, import_id))
        if job is not None and job.status != JobStatus.COMPLETED:
            self.imports[(owner, import_id)] = job.model_copy(
                update={"status": JobStatus.FAILED, "failure_reason": reason, "attempt_deadline": None}
            )
            self.failures[import_id] = reason

    def start_export(
        self, *, owner: str, export_id: str, deadline: datetime | None = None, generation: int = 0
    ) -> ExportJob | None:
        job = self.exports.get((owner, export_id))
        if job is None or job.status == JobStatus.COMPLETED or job.generation > generation:
            return None
        started = job.model_copy(
            update={"status": JobStatus.PROCESSING, "attempt_deadline": deadline, "failure_reason": None}
        )
        self.exports[(owner, export_id)] = started
        return started

    def checkpoint_export(self, *, owner: str, export_id: str, checkpoint: ExportCheckpoint) -> bool:
        job = self.exports[(owner, export_id)]
        if job.status != JobStatus.PROCESSING or job.checkpoint.sequence != checkpoint.sequence - 1:
            return False
        self.exports[(owner, export_id)] = job.model_copy(update={"checkpoint": checkpoint})
        return True

    def complete_export(self, *, owner: str, export_id: str, item_count: int) -> None:
        job = self.exports[(owner, export_id)]
        self.exports[(owner, export_id)] = job.model_copy(
            update={"status": JobStatus.COMPLETED, "item_count": item_count, "attempt_deadline": None}
        )

    def fail_export(self, *, owner: str, export_id: str, reason: str) -> ExportJob | None:
        job = self.exports.get((owner, export_id))
        if job is None or job.status == JobStatus.COMPLETED:
            return None
        failed = job.model_copy(update={"status": JobStatus.FAILED, "failure_reason": reason, "attempt_deadline": None})
        self.exports[(owner, export_id)] = failed
        self.failures[export_id] = reason
        return failed

    def hand_over(self, *, owner: str, kind: str, job_id: str, generation: int = 0) -> None:
        self.hand_overs.append((kind, job_id))
        update = {"attempt_deadline": None, "generation": generation}
        jobs: dict[tuple[str, str], Any] = self.imports if kind == "import" else self.exports
        job = jobs.get((owner, job_id))
        if job is not None and job.status == JobStatus.PROCESSING and job.generation <= generation:
            jobs[(owner, job_id)] = job.model_copy(update=update)


class FakeUpload:
    """A multipart upload of `part_bytes` parts; a file under one part is a single put, as in PartedUpload."""

    def __init__(self, files: "InMemoryFiles", key: str, upload_id: str | None, etags: tuple[str, ...]) -> None:
        self._files = files
        self._key = key
        self._buffer = b""
        self.upload_id = upload_id
        self.etags = etags

    def write(self, data: bytes) -> bool:
        self._buffer += data
        if len(self._buffer) < self._files.part_bytes:
            return False
        self._upload_part()
        return True

    def complete(self) -> None:
        if self.upload_id is None:
            self._files.objects[self._key] = self._buffer
            return
        if self._buffer:
            self._upload_part()
        parts = self._files.uploads.pop(self.upload_id)
        self._files.objects[self._key] = b"".join(parts[etag] for etag in self.etags)

    def _upload_part(self) -> None:
        if self.upload_id is None:
            self._files.created += 1
            self.upload_id = f"upload-{self._files.created}"
            self._files.uploads[self.upload_id] = {}
        etag = f"etag-{len(self.etags) + 1}-{len(self._buffer)}"
        self._files.uploads[self.upload_id][etag] = self._buffer
        self.etags = (*self.etags, etag)
        self._buffer = b""


@dataclass
class InMemoryFiles:
    """The jobs bucket: presigned forms that encode their arguments, stored objects, chunked reads."""

    objects: dict[str, bytes] = field(default_factory=dict)
    chunk_size: int = 7  # small and odd, so lines straddle chunks
    reads: list[tuple[str, int]] = field(default_factory=list)
    part_bytes: int = 8 * 1024 * 1024
    uploads: dict[str, dict[str, bytes]] = field(default_factory=dict)  # open multipart uploads: their parts
    aborted: list[str] = field(default_factory=list)
    created: int = 0  # multipart uploads
    deleted: list[str] = field(default_factory=list)  # every key delete_file was called with

    def presign_upload(self, *, key: str, max_bytes: int, expires_in: int) -> UploadForm:
        policy = {"key": key, "max_bytes": max_bytes, "expires_in": expires_in}
        return UploadForm(
            url="https://bucket.example.com/",
            fields={"key": key, "policy": base64.b64encode(json.dumps(policy).encode()).decode()},
        )

    def presign_download(self, *, key: str, expires_in: int) -> str:
        return f"https://bucket.example.com/{key}?expires={expires_in}"

    def delete_file(self, *, key: str) -> None:
        self.objects.pop(key, None)
        self.deleted.append(key)

    def size(self, *, key: str, version_id: str | None) -> int:
        if key not in self.objects:
            raise ImportFileMissingError()
        return len(self.objects[key])

    def read(self, *, key: str, version_id: str | None, offset: int) -> Iterator[bytes]:
        self.reads.append((key, offset))
        if key not in self.objects:
            raise ImportFileMissingError()
        data = self.objects[key][offset:]
        for start in range(0, len(data), self.chunk_size):
            yield data[start : start + self.chunk_size]

    def open_upload(self, *, key: str, upload_id: str | None, etags: tuple[str, ...]) -> FakeUpload:
        return FakeUpload(self, key, upload_id, etags)

    def abort_upload(self, *, key: str, upload_id: str) -> None:
        self.uploads.pop(upload_id, None)
        self.aborted.append(upload_id)


class InMemoryQueue:
    def __init__(self) -> None:
        self.messages: list[QueueMessage] = []
        self.delays: list[int] = []  # DelaySeconds of each message, in the same order

    def send(self, message: QueueMessage, *, delay_seconds: int = 0) -> None:
        self.messages.append(message)
        self.delays.append(delay_seconds)


@dataclass
class InMemoryJobs:
    """A JobService on in-memory adapters, with the adapters at hand for assertions."""

    records: InMemoryJobRecords = field(default_factory=InMemoryJobRecords)
    files: InMemoryFiles = field(default_factory=InMemoryFiles)
    export_requests: InMemoryQueue = field(default_factory=InMemoryQueue)
    import_max_bytes: int = 50 * 1024 * 1024

    def service(self) -> JobService:
        return JobService(
            records=self.records,
            files=self.files,
            export_requests=self.export_requests,
            import_max_bytes=self.import_max_bytes,
        )


def in_memory_worker(
    records: InMemoryJobRecords,
    files: InMemoryFiles,
    *,
    continuations: InMemoryQueue | None = None,
    reserve_ms: int = 1000,
    max_bytes: int = 50 * 1024 * 1024,
) -> "JobWorker":
    """The worker on in-memory adapters, wired as app.wiring wires the real ones."""
    from app.services.exports import ExportProcessor
    from app.services.imports import ImportProcessor
    from app.services.worker import JobWorker

    queue = continuations or InMemoryQueue()
    imports = ImportProcessor(
        records=records,
        hand_overs=records,
        files=files,
        continuations=queue,
        min_remaining_ms=reserve_ms,
        max_bytes=max_bytes,
    )
    exports = ExportProcessor(
        progress=records,
        records=records,
        items=records.items,
        files=files,
        continuations=queue,
        min_remaining_ms=reserve_ms,
    )
    return JobWorker(transitions=records, imports=imports, exports=exports, import_queue=queue, export_queue=queue)
