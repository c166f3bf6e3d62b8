"""One set of job record cases, run against the DynamoDB adapters on moto and against the in-memory fake,
so the fake used by the unit tests cannot drift from the conditional transitions of the real ones."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.adapters.dynamodb_bulk_items import DynamoDBBulkItems
from app.adapters.dynamodb_job_progress import DynamoDBJobProgress
from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.domain.errors import JobNotFoundError
from app.domain.ids import derived_item_id, new_item_id
from app.models.items import ItemPublic
from app.models.jobs import ExportCheckpoint, ExportJob, ImportJob, ImportProgress, JobStatus, LineError
from tests.fakes.jobs import InMemoryJobRecords

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


class DynamoDBJobs:
    """The worker's two DynamoDB adapters and the export reader, as one object like the in-memory fake."""

    def __init__(self, *parts: object) -> None:
        self._parts = parts

    def __getattr__(self, name: str) -> Any:
        return next(getattr(part, name) for part in self._parts if hasattr(part, name))

    @property
    def items(self) -> Any:
        return self


Records = Any


@pytest.fixture(params=["dynamodb", "in-memory"])
def records(request: pytest.FixtureRequest) -> Iterator[Records]:
    if request.param == "in-memory":
        yield InMemoryJobRecords()
        return
    table = request.getfixturevalue("names")["ItemsTable"]
    client = request.getfixturevalue("dynamodb")
    yield DynamoDBJobs(
        DynamoDBJobRecords(client=client, table_name=table, retention=timedelta(days=7)),
        DynamoDBJobProgress(client=client, table_name=table),
        DynamoDBBulkItems(client=client, table_name=table),
    )


def imported_item(import_id: str, line: int) -> ItemPublic:
    return ItemPublic(
        id=derived_item_id(import_id, line), name=f"line {line}", version=1, created_at=NOW, updated_at=NOW
    )


def new_import(records: Records, owner: str = "alice") -> ImportJob:
    job = ImportJob(owner=owner, import_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r1")
    records.add_import(job)
    return job


def progress(next_line: int, **fields: Any) -> ImportProgress:
    values = {"next_offset": next_line * 10, "imported": 1, "rejected": 0, "errors": (), "finished": False}
    return ImportProgress(next_line=next_line, **(values | fields))


def test_an_added_import_reads_back_pending_at_line_1(records: Records) -> None:
    job = new_import(records)

    assert records.get_import(owner="alice", import_id=job.import_id) == job


def test_jobs_are_invisible_to_other_owners(records: Records) -> None:
    job = new_import(records)
    export = ExportJob(owner="alice", export_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r")
    records.add_export(export)

    with pytest.raises(JobNotFoundError):
        records.get_import(owner="bob", import_id=job.import_id)
    with pytest.raises(JobNotFoundError):
        records.get_export(owner="bob", export_id=export.export_id)
    assert records.start_import(owner="bob", import_id=job.import_id, version_id="v1") is None
    assert records.start_export(owner="bob", export_id=export.export_id) is None


def test_progress_commits_once_per_position(records: Records) -> None:
    job = records.start_import(owner="alice", import_id=new_import(records).import_id, version_id="v1")
    assert job is not None
    error = LineError(line=2, message="name: required")
    items = [imported_item(job.import_id, 1)]

    assert records.commit_import_chunk(job, items, progress(26, imported=24, rejected=1, errors=(error,)))
    assert not records.commit_import_chunk(
        job, [imported_item(job.import_id, 3)], progress(26, imported=24, rejected=1, errors=(error,))
    )

    assert [item.id for item in records.items.all_items(owner="alice", after_id=None)] == [items[0].id]
    saved = records.get_import(owner="alice", import_id=job.import_id)
    assert (saved.next_line, saved.next_offset, saved.imported, saved.rejected) == (26, 260, 24, 1)
    assert saved.errors == (error,)
    assert (saved.status, saved.version_id) == (JobStatus.PROCESSING, "v1")


def test_the_last_chunk_completes_the_import_for_good(records: Records) -> None:
    job = records.start_import(owner="alice", import_id=new_import(records).import_id, version_id="v1")
    assert job is not None

    assert records.commit_import_chunk(job, [], progress(3, finished=True))
    records.fail_import(owner="alice", import_id=job.import_id, reason="late")

    assert records.get_import(owner="alice", import_id=job.import_id).status == JobStatus.COMPLETED
    assert records.start_import(owner="alice", import_id=job.import_id, version_id="v1") is None


def test_a_started_import_resumes_only_for_its_own_file_version(records: Records) -> None:
    job = new_import(records)
    assert records.start_import(owner="alice", import_id=job.import_id, version_id="v1") is not None

    assert records.start_import(owner="alice", import_id=job.import_id, version_id="v2") is None
    assert records.start_import(owner="alice", import_id=job.import_id, version_id="v1") is not None


def test_a_failed_import_can_be_resumed_by_a_redriven_message(records: Records) -> None:
    job = new_import(records)
    records.start_import(owner="alice", import_id=job.import_id, version_id=None)
    records.fail_import(owner="alice", import_id=job.import_id, reason="gave up")
    assert records.get_import(owner="alice", import_id=job.import_id).status == JobStatus.FAILED

    resumed = records.start_import(owner="alice", import_id=job.import_id, version_id=None)

    assert resumed is not None
    assert resumed.status == JobStatus.PROCESSING


def test_an_export_completes_with_its_count_once(records: Records) -> None:
    export = ExportJob(owner="alice", export_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r")
    records.add_export(export)

    started = records.start_export(owner="alice", export_id=export.export_id)
    records.complete_export(owner="alice", export_id=export.export_id, item_count=42)

    assert started is not None
    assert started.status == JobStatus.PROCESSING
    done = records.get_export(owner="alice", export_id=export.export_id)
    assert (done.status, done.item_count) == (JobStatus.COMPLETED, 42)
    assert records.start_export(owner="alice", export_id=export.export_id) is None


def test_a_final_attempt_records_its_deadline_until_the_job_is_handed_over(records: Records) -> None:
    job = new_import(records)
    deadline = NOW + timedelta(minutes=5)

    started = records.start_import(owner="alice", import_id=job.import_id, version_id="v1", deadline=deadline)
    records.hand_over(owner="alice", kind="import", job_id=job.import_id)

    assert started is not None
    assert started.attempt_deadline == deadline
    assert records.get_import(owner="alice", import_id=job.import_id).attempt_deadline is None


def test_a_failure_keeps_its_reason_until_the_job_starts_again(records: Records) -> None:
    job = new_import(records)
    records.start_import(owner="alice", import_id=job.import_id, version_id="v1", deadline=NOW)
    records.fail_import(owner="alice", import_id=job.import_id, reason="The uploaded file no longer exists.")

    failed = records.get_import(owner="alice", import_id=job.import_id)
    resumed = records.start_import(owner="alice", import_id=job.import_id, version_id="v1")

    assert (failed.status, failed.failure_reason, failed.attempt_deadline) == (
        JobStatus.FAILED,
        "The uploaded file no longer exists.",
        None,
    )
    assert resumed is not None
    assert resumed.failure_reason is None


def test_export_checkpoints_commit_once_per_sequence_and_a_failed_export_names_its_upload(records: Records) -> None:
    export = ExportJob(owner="alice", export_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r")
    records.add_export(export)
    records.start_export(owner="alice", export_id=export.export_id)
    first = ExportCheckpoint(upload_id="u1", etags=('"e1"',), exported=10, last_item_id="A", sequence=1)
    second = first.model_copy(update={"etags": ('"e1"', '"e2"'), "exported": 20, "last_item_id": "B", "sequence": 2})

    assert records.checkpoint_export(owner="alice", export_id=export.export_id, checkpoint=first)
    assert not records.checkpoint_export(owner="alice", export_id=export.export_id, checkpoint=first)
    assert records.checkpoint_export(owner="alice", export_id=export.export_id, checkpoint=second)
    resumed = records.start_export(owner="alice", export_id=export.export_id)
    failed = records.fail_export(owner="alice", export_id=export.export_id, reason="given up")

    assert resumed is not None
    assert resumed.checkpoint == second
    assert failed is not None
    assert (failed.status, failed.failure_reason, failed.checkpoint) == (JobStatus.FAILED, "given up", second)


def test_a_message_older_than_the_last_hand_over_starts_nothing(records: Records) -> None:
    job = new_import(records)
    records.start_import(owner="alice", import_id=job.import_id, version_id="v1")
    records.hand_over(owner="alice", kind="import", job_id=job.import_id, generation=1)

    stale = records.start_import(owner="alice", import_id=job.import_id, version_id="v1", generation=0)
    current = records.start_import(owner="alice", import_id=job.import_id, version_id="v1", generation=1)

    assert stale is None
    assert current is not None
    assert current.generation == 1


def test_an_export_message_older_than_the_last_hand_over_starts_nothing(records: Records) -> None:
    export = ExportJob(owner="alice", export_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r")
    records.add_export(export)
    records.start_export(owner="alice", export_id=export.export_id)
    records.hand_over(owner="alice", kind="export", job_id=export.export_id, generation=1)

    assert records.start_export(owner="alice", export_id=export.export_id, generation=0) is None
    assert records.start_export(owner="alice", export_id=export.export_id, generation=1) is not None
