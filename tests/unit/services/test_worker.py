"""JobWorker: starts jobs, skips finished ones, marks a job FAILED when it cannot succeed."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from app.domain.jobs import ExportRequested, ImportUploaded, import_key
from app.models.items import ItemPublic
from app.models.jobs import ExportJob, ImportJob, JobStatus
from app.observability import logger
from app.services.worker import FINAL_ATTEMPT_FAILED, SUPERSEDED_DELAY_SECONDS, JobWorker
from tests.fakes.jobs import InMemoryFiles, InMemoryItemWrites, InMemoryJobRecords, InMemoryQueue, in_memory_worker

JOB_ID = "01JDQ7Z8X0ABCDEFGHJKMNPQRS"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
UPLOADED = ImportUploaded(owner="alice", import_id=JOB_ID, version_id="v1")
REQUESTED = ExportRequested(owner="alice", export_id=JOB_ID, request_id="api-request-2")


@pytest.fixture(autouse=True)
def _forget_correlation_id() -> Iterator[None]:
    yield
    logger.remove_keys(["correlation_id"])


class ExplodingItems(InMemoryItemWrites):
    def put_all(self, **_: object) -> None:
        raise RuntimeError("boom")

    def all_items(self, **_: object) -> list[ItemPublic]:
        raise RuntimeError("boom")


def make_worker(items: InMemoryItemWrites | None = None) -> tuple[JobWorker, InMemoryJobRecords, InMemoryFiles]:
    records, files = InMemoryJobRecords(items), InMemoryFiles()
    records.add_import(
        ImportJob(owner="alice", import_id=JOB_ID, status=JobStatus.PENDING, created_at=NOW, request_id="api-request-1")
    )
    records.add_export(
        ExportJob(owner="alice", export_id=JOB_ID, status=JobStatus.PENDING, created_at=NOW, request_id="api-request-2")
    )
    return in_memory_worker(records, files, max_bytes=100), records, files


def handle(worker: JobWorker, message: ImportUploaded | ExportRequested, *, final_attempt: bool = False) -> None:
    worker.handle(message, remaining_ms=lambda: 60_000, final_attempt=final_attempt)


def test_an_upload_runs_the_import_with_the_api_request_id_in_the_logs() -> None:
    worker, records, files = make_worker()
    files.objects[import_key("alice", JOB_ID)] = b'{"name": "a"}\n'

    handle(worker, UPLOADED)

    assert records.get_import(owner="alice", import_id=JOB_ID).status == JobStatus.COMPLETED
    assert logger.get_correlation_id() == "api-request-1"


def test_an_export_request_runs_the_export() -> None:
    worker, records, _ = make_worker()

    handle(worker, REQUESTED)

    assert records.get_export(owner="alice", export_id=JOB_ID).status == JobStatus.COMPLETED
    assert logger.get_correlation_id() == "api-request-2"


def test_a_missing_file_fails_the_import_without_a_retry() -> None:
    worker, records, _ = make_worker()

    handle(worker, UPLOADED)

    job = records.get_import(owner="alice", import_id=JOB_ID)
    assert (job.status, job.failure_reason) == (JobStatus.FAILED, "The uploaded file no longer exists.")


def test_a_file_over_the_limit_fails_the_import_with_a_reason_and_imports_nothing() -> None:
    worker, records, files = make_worker()
    files.objects[import_key("alice", JOB_ID)] = b'{"name": "a"}\n' * 10  # 140 bytes, the limit is 100

    handle(worker, UPLOADED)

    job = records.get_import(owner="alice", import_id=JOB_ID)
    assert (job.status, job.imported, records.items.items) == (JobStatus.FAILED, 0, {})
    assert job.failure_reason is not None
    assert "140 bytes" in job.failure_reason
    assert "100 bytes" in job.failure_reason


def test_a_message_for_an_unknown_job_is_nothing_to_do() -> None:
    worker, records, _ = make_worker()

    handle(worker, ImportUploaded(owner="mallory", import_id=JOB_ID, version_id="v1"))

    assert records.get_import(owner="alice", import_id=JOB_ID).status == JobStatus.PENDING


@pytest.mark.parametrize("message", [UPLOADED, REQUESTED])
@pytest.mark.parametrize(("final_attempt", "status"), [(False, JobStatus.PROCESSING), (True, JobStatus.FAILED)])
def test_an_error_is_raised_for_a_retry_and_fails_the_job_on_the_final_attempt(
    message: ImportUploaded | ExportRequested, final_attempt: bool, status: JobStatus
) -> None:
    worker, records, files = make_worker(ExplodingItems())
    files.objects[import_key("alice", JOB_ID)] = b'{"name": "a"}\n'

    with pytest.raises(RuntimeError, match="boom"):
        handle(worker, message, final_attempt=final_attempt)

    job = (
        records.get_export(owner="alice", export_id=JOB_ID)
        if isinstance(message, ExportRequested)
        else records.get_import(owner="alice", import_id=JOB_ID)
    )
    assert job.status == status
    assert job.failure_reason == (FINAL_ATTEMPT_FAILED if final_attempt else None)


class RacedRecords(InMemoryJobRecords):
    """Another run of the same job commits first: every commit of this run finds the job moved on."""

    def commit_import_chunk(self, *_: object) -> bool:
        return False


@pytest.mark.parametrize("final_attempt", [False, True], ids=["attempt", "final-attempt"])
def test_a_superseded_run_defers_a_copy_of_its_message_and_never_fails_the_job(final_attempt: bool) -> None:
    records, files, queue = RacedRecords(), InMemoryFiles(), InMemoryQueue()
    records.add_import(
        ImportJob(owner="alice", import_id=JOB_ID, status=JobStatus.PENDING, created_at=NOW, request_id="r1")
    )
    files.objects[import_key("alice", JOB_ID)] = b'{"name": "a"}\n'
    worker = in_memory_worker(records, files, continuations=queue, max_bytes=100)

    handle(worker, UPLOADED, final_attempt=final_attempt)  # returns: the delivery succeeds, its message is deleted

    job = records.get_import(owner="alice", import_id=JOB_ID)
    assert (job.status, job.failure_reason) == (JobStatus.PROCESSING, None)
    # The copy arrives once any run of the winner is over, with a receive count of zero.
    assert (queue.messages, queue.delays) == ([UPLOADED], [SUPERSEDED_DELAY_SECONDS])


def test_a_message_older_than_the_last_hand_over_does_nothing_even_on_its_final_attempt() -> None:
    worker, records, files = make_worker()
    files.objects[import_key("alice", JOB_ID)] = b'{"name": "a"}\n'
    records.start_import(owner="alice", import_id=JOB_ID, version_id="v1")
    records.hand_over(owner="alice", kind="import", job_id=JOB_ID, generation=1)

    handle(worker, UPLOADED, final_attempt=True)  # generation 0

    job = records.get_import(owner="alice", import_id=JOB_ID)
    assert (job.status, job.imported, job.generation) == (JobStatus.PROCESSING, 0, 1)
    assert files.reads == []
