"""In-memory job records, files, item writes and queues, with the semantics of the AWS adapters."""

import base64
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from app.domain.errors import ImportFileMissingError, JobNotFoundError
from app.domain.jobs import NULL_VERSION, QueueMessage
from app.models.items import ItemPublic
from app.models.jobs import ExportJob, ImportJob, ImportProgress, JobStatus, UploadForm
from app.services.jobs import JobService


class InMemoryJobRecords:
    """Both sides of DynamoDBJobRecords: the API's adds and gets, the worker's conditional transitions."""

    def __init__(self) -> None:
        self.imports: dict[tuple[str, str], ImportJob] = {}
        self.exports: dict[tuple[str, str], ExportJob] = {}
        self.failures: dict[str, str] = {}

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

    def start_import(self, *, owner: str, import_id: str, version_id: str | None) -> ImportJob | None:
        job = self.imports.get((owner, import_id))
        version = version_id or NULL_VERSION
        if job is None or job.status == JobStatus.COMPLETED or job.version_id not in (None, version):
            return None
        started = job.model_copy(update={"status": JobStatus.PROCESSING, "version_id": version})
        self.imports[(owner, import_id)] = started
        return started

    def save_import_progress(self, job: ImportJob, progress: ImportProgress) -> bool:
        current = self.imports[(job.owner, job.import_id)]
        if current.status != JobStatus.PROCESSING or current.next_line != job.next_line:
            return False
        self.imports[(job.owner, job.import_id)] = current.advanced(progress).model_copy(
            update={"status": JobStatus.COMPLETED if progress.finished else JobStatus.PROCESSING}
        )
        return True

    def fail_import(self, *, owner: str, import_id: str, reason: str) -> None:
        job = self.imports.get((owner, import_id))
        if job is not None and job.status != JobStatus.COMPLETED:
            self.imports[(owner, import_id)] = job.model_copy(update={"status": JobStatus.FAILED})
            self.failures[import_id] = reason

    def start_export(self, *, owner: str, export_id: str) -> ExportJob | None:
        job = self.exports.get((owner, export_id))
        if job is None or job.status == JobStatus.COMPLETED:
            return None
        started = job.model_copy(update={"status": JobStatus.PROCESSING})
        self.exports[(owner, export_id)] = started
        return started

    def complete_export(self, *, owner: str, export_id: str, item_count: int) -> None:
        job = self.exports[(owner, export_id)]
        self.exports[(owner, export_id)] = job.model_copy(
            update={"status": JobStatus.COMPLETED, "item_count": item_count}
        )

    def fail_export(self, *, owner: str, export_id: str, reason: str) -> None:
        job = self.exports.get((owner, export_id))
        if job is not None and job.status != JobStatus.COMPLETED:
            self.exports[(owner, export_id)] = job.model_copy(update={"status": JobStatus.FAILED})
            self.failures[export_id] = reason


class FakeUpload:
    def __init__(self, files: "InMemoryFiles", key: str) -> None:
        self._files = files
        self._key = key
        self._parts: list[bytes] = []
        self.aborted = False

    def write(self, data: bytes) -> None:
        self._parts.append(data)

    def complete(self) -> None:
        self._files.objects[self._key] = b"".join(self._parts)

    def abort(self) -> None:
        self.aborted = True


@dataclass
class InMemoryFiles:
    """The jobs bucket: presigned forms that encode their arguments, stored objects, chunked reads."""

    objects: dict[str, bytes] = field(default_factory=dict)
    chunk_size: int = 7  # small and odd, so lines straddle chunks
    reads: list[tuple[str, int]] = field(default_factory=list)

    def presign_upload(self, *, key: str, max_bytes: int, expires_in: int) -> UploadForm:
        policy = {"key": key, "max_bytes": max_bytes, "expires_in": expires_in}
        return UploadForm(
            url="https://bucket.example.com/",
            fields={"key": key, "policy": base64.b64encode(json.dumps(policy).encode()).decode()},
        )

    def presign_download(self, *, key: str, expires_in: int) -> str:
        return f"https://bucket.example.com/{key}?expires={expires_in}"

    def read(self, *, key: str, version_id: str | None, offset: int) -> Iterator[bytes]:
        self.reads.append((key, offset))
        if key not in self.objects:
            raise ImportFileMissingError()
        data = self.objects[key][offset:]
        for start in range(0, len(data), self.chunk_size):
            yield data[start : start + self.chunk_size]

    def open_upload(self, *, key: str) -> FakeUpload:
        return FakeUpload(self, key)


class InMemoryItemWrites:
    """The items partitioned by owner; put_all overwrites, put_new keeps what exists."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], ItemPublic] = {}
        self.batches: list[tuple[str, int]] = []  # (method, size) of every call

    def put_all(self, *, owner: str, items: Sequence[ItemPublic]) -> None:
        self.batches.append(("put_all", len(items)))
        for item in items:
            self.items[(owner, item.id)] = item

    def put_new(self, *, owner: str, items: Sequence[ItemPublic]) -> None:
        self.batches.append(("put_new", len(items)))
        for item in items:
            self.items.setdefault((owner, item.id), item)

    def all_items(self, *, owner: str) -> Iterable[ItemPublic]:
        return [item for (item_owner, _), item in sorted(self.items.items()) if item_owner == owner]


class InMemoryQueue:
    def __init__(self) -> None:
        self.messages: list[QueueMessage] = []

    def send(self, message: QueueMessage) -> None:
        self.messages.append(message)


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
