"""One set of job record cases, run against the DynamoDB adapter on moto and against the in-memory fake,
so the fake used by the unit tests cannot drift from the conditional transitions of the real one."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.domain.errors import JobNotFoundError
from app.domain.ids import new_item_id
from app.models.jobs import ExportJob, ImportJob, ImportProgress, JobStatus, LineError
from tests.fakes.jobs import InMemoryJobRecords

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
Records = DynamoDBJobRecords | InMemoryJobRecords


@pytest.fixture(params=["dynamodb", "in-memory"])
def records(request: pytest.FixtureRequest) -> Iterator[Records]:
    if request.param == "in-memory":
        yield InMemoryJobRecords()
        return
    names = request.getfixturevalue("names")
    dynamodb = request.getfixturevalue("dynamodb")
    yield DynamoDBJobRecords(client=dynamodb, table_name=names["ItemsTable"], retention=timedelta(days=7))


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

    assert records.save_import_progress(job, progress(26, imported=24, rejected=1, errors=(error,)))
    assert not records.save_import_progress(job, progress(26, imported=24, rejected=1, errors=(error,)))

    saved = records.get_import(owner="alice", import_id=job.import_id)
    assert (saved.next_line, saved.next_offset, saved.imported, saved.rejected) == (26, 260, 24, 1)
    assert saved.errors == (error,)
    assert (saved.status, saved.version_id) == (JobStatus.PROCESSING, "v1")


def test_the_last_chunk_completes_the_import_for_good(records: Records) -> None:
    job = records.start_import(owner="alice", import_id=new_import(records).import_id, version_id="v1")
    assert job is not None

    assert records.save_import_progress(job, progress(3, finished=True))
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
