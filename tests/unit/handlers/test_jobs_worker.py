"""The jobs worker's entry point with Powertools batch processing, on in-memory adapters."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from app.domain.ids import new_item_id
from app.domain.jobs import ExportRequested, ImportContinued, import_key
from app.models.jobs import ExportJob, ImportJob, JobStatus
from tests.fakes.jobs import InMemoryFiles, InMemoryJobRecords, in_memory_worker
from tests.support.apigw import LambdaContext
from tests.support.logs import captured_logs
from tests.support.sqs import sqs_event, sqs_record

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
WORKER_ENVIRONMENT = {
    "JOBS_BUCKET_NAME": "jobs-unit",
    "IMPORT_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/imports-unit",
    "EXPORT_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/exports-unit",
    "IMPORT_MAX_BYTES": "52428800",
    "JOB_MAX_RECEIVE_COUNT": "3",
}


@pytest.fixture
def records() -> InMemoryJobRecords:
    return InMemoryJobRecords()


@pytest.fixture
def files() -> InMemoryFiles:
    return InMemoryFiles()


@pytest.fixture
def handler(records: InMemoryJobRecords, files: InMemoryFiles, monkeypatch: pytest.MonkeyPatch) -> Iterator[Handler]:
    from app.job_settings import get_jobs_worker_settings
    from app.wiring import job_worker

    for name, value in WORKER_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    get_jobs_worker_settings.cache_clear()
    job_worker.cache_clear()
    from app.handlers import jobs_worker

    worker = in_memory_worker(records, files)
    monkeypatch.setattr(jobs_worker, "job_worker", lambda: worker)
    yield jobs_worker.handler
    get_jobs_worker_settings.cache_clear()
    job_worker.cache_clear()


def add_import(records: InMemoryJobRecords, files: InMemoryFiles, request_id: str) -> str:
    import_id = new_item_id()
    records.add_import(
        ImportJob(owner="alice", import_id=import_id, status=JobStatus.PENDING, created_at=NOW, request_id=request_id)
    )
    files.objects[import_key("alice", import_id)] = b'{"name": "a"}\n{"name": ""}\n'
    return import_id


def continuation(import_id: str) -> str:
    return ImportContinued(owner="alice", import_id=import_id, version_id="v1").model_dump_json(by_alias=True)


@pytest.mark.parametrize(("total", "failing"), [(1, 0), (5, 1), (5, 3), (10, 9)])
def test_a_batch_reports_exactly_its_failed_messages(
    handler: Handler, records: InMemoryJobRecords, files: InMemoryFiles, total: int, failing: int
) -> None:
    good = [sqs_record(continuation(add_import(records, files, f"r{n}"))) for n in range(total - failing)]
    poison = [sqs_record(f"poison {n}") for n in range(failing)]

    response = handler(sqs_event(good + poison), LambdaContext())

    assert {failure["itemIdentifier"] for failure in response["batchItemFailures"]} == {
        record["messageId"] for record in poison
    }
    assert all(job.status == JobStatus.COMPLETED for job in records.imports.values())


def test_a_batch_where_everything_fails_fails_the_invocation(handler: Handler) -> None:
    with pytest.raises(BatchProcessingError):
        handler(sqs_event([sqs_record("poison"), sqs_record("{}")]), LambdaContext())


def test_the_final_attempt_marks_the_job_failed(
    handler: Handler, records: InMemoryJobRecords, files: InMemoryFiles
) -> None:
    export_id = new_item_id()
    records.add_export(
        ExportJob(owner="alice", export_id=export_id, status=JobStatus.PENDING, created_at=NOW, request_id="r")
    )
    files.open_upload = lambda **_: (_ for _ in ()).throw(ConnectionError("S3 down"))  # type: ignore[method-assign]
    body = ExportRequested(owner="alice", export_id=export_id, request_id="r").model_dump_json(by_alias=True)
    good = sqs_record(continuation(add_import(records, files, "r2")))

    first = handler(sqs_event([sqs_record(body, receive_count=2), good]), LambdaContext())
    assert records.get_export(owner="alice", export_id=export_id).status == JobStatus.PROCESSING
    last = handler(sqs_event([sqs_record(body, receive_count=3), good]), LambdaContext())

    assert len(first["batchItemFailures"]) == len(last["batchItemFailures"]) == 1
    assert records.get_export(owner="alice", export_id=export_id).status == JobStatus.FAILED


def test_each_jobs_logs_carry_the_request_id_that_started_it(
    handler: Handler, records: InMemoryJobRecords, files: InMemoryFiles
) -> None:
    first, second = add_import(records, files, "request-1"), add_import(records, files, "request-2")

    with captured_logs() as logs:
        handler(sqs_event([sqs_record(continuation(first)), sqs_record(continuation(second))]), LambdaContext())

    running = {log["importId"]: log.get("correlation_id") for log in logs() if log.get("message") == "import running"}
    assert running == {first: "request-1", second: "request-2"}
