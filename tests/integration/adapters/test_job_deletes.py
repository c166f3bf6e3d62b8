"""DELETE /imports/{id} and /exports/{id} on moto: the record and the file are gone, the conditional delete refuses a
running job, and a delete whose DeleteItem botocore retried (applied or not) answers as it would have without."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.domain.errors import JobNotFinishedError, JobNotFoundError
from app.domain.ids import new_item_id
from app.models.jobs import ExportJob, ImportJob, JobStatus
from devstack.names import Names
from tests.integration.faults.plans import ABSORBED, EXHAUSTING
from tests.integration.handlers.test_imports_exports import VALID, drain, jsonl, start_import
from tests.support.apigw import json_body
from tests.support.faults import FaultInjector

Call = Callable[..., dict[str, Any]]
Worker = Callable[[dict[str, Any], Any], dict[str, Any]]
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def job_record(names: Names, owner: str, sort_key: str) -> dict[str, Any] | None:
    key = {"pk": {"S": f"OWNER#{owner}"}, "sk": {"S": sort_key}}
    found = boto3.client("dynamodb").get_item(TableName=names["ItemsTable"], Key=key, ConsistentRead=True)
    return found.get("Item")


def current_keys(names: Names, prefix: str) -> list[str]:
    listed = boto3.client("s3").list_objects_v2(Bucket=names["JobsBucket"], Prefix=prefix)
    return [entry["Key"] for entry in listed.get("Contents", [])]


@pytest.fixture
def records(names: Names, dynamodb: Any) -> DynamoDBJobRecords:
    return DynamoDBJobRecords(client=dynamodb, table_name=names["ItemsTable"], retention=timedelta(days=7))


def test_a_finished_import_and_export_go_with_their_files(jobs_call: Call, jobs_worker: Worker, names: Names) -> None:
    import_id = start_import(jobs_call, jsonl(*VALID))
    drain(names, "ImportQueue", jobs_worker)
    export_id = json_body(jobs_call("POST", "/exports"))["exportId"]
    drain(names, "ExportQueue", jobs_worker)
    assert json_body(jobs_call("GET", f"/exports/{export_id}"))["status"] == "COMPLETED"
    assert current_keys(names, "imports/alice/") == [f"imports/alice/{import_id}.jsonl"]
    assert current_keys(names, "exports/alice/") == [f"exports/alice/{export_id}.jsonl"]

    answers = [jobs_call("DELETE", f"/imports/{import_id}"), jobs_call("DELETE", f"/exports/{export_id}")]

    assert [answer["statusCode"] for answer in answers] == [204, 204]
    assert current_keys(names, "imports/alice/") == current_keys(names, "exports/alice/") == []
    assert job_record(names, "alice", f"IMPORT#{import_id}") is None
    assert job_record(names, "alice", f"EXPORT#{export_id}") is None
    assert jobs_call("DELETE", f"/imports/{import_id}")["statusCode"] == 404


def test_the_conditional_delete_refuses_a_running_job_and_tells_a_missing_one(records: DynamoDBJobRecords) -> None:
    running = ImportJob(
        owner="alice", import_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r"
    )
    queued = ExportJob(owner="alice", export_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r")
    records.add_import(running)
    records.add_export(queued)
    records.start_import(owner="alice", import_id=running.import_id, version_id="v1")

    with pytest.raises(JobNotFinishedError):
        records.delete_import(owner="alice", import_id=running.import_id, now=NOW)
    with pytest.raises(JobNotFinishedError):
        records.delete_export(owner="alice", export_id=queued.export_id, now=NOW)
    with pytest.raises(JobNotFoundError):
        records.delete_import(owner="mallory", import_id=running.import_id, now=NOW)
    assert records.get_import(owner="alice", import_id=running.import_id).status == JobStatus.PROCESSING
    assert records.get_export(owner="alice", export_id=queued.export_id).status == JobStatus.PENDING


def test_a_final_attempt_stopped_at_its_deadline_is_deletable_after_it(records: DynamoDBJobRecords) -> None:
    job = ExportJob(owner="alice", export_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r")
    records.add_export(job)
    records.start_export(owner="alice", export_id=job.export_id, deadline=NOW + timedelta(minutes=15))

    with pytest.raises(JobNotFinishedError):
        records.delete_export(owner="alice", export_id=job.export_id, now=NOW + timedelta(minutes=14))
    records.delete_export(owner="alice", export_id=job.export_id, now=NOW + timedelta(minutes=15, microseconds=1))

    with pytest.raises(JobNotFoundError):
        records.get_export(owner="alice", export_id=job.export_id)


def test_a_retried_delete_answers_204_and_the_job_is_gone(jobs_call: Call, faults: FaultInjector, names: Names) -> None:
    for fault, plan in ABSORBED.items():
        import_id = json_body(jobs_call("POST", "/imports", owner=fault))["importId"]
        plan(faults, "DeleteItem", names["ItemsTable"])

        response = jobs_call("DELETE", f"/imports/{import_id}", owner=fault)

        assert response["statusCode"] == 204, (fault, json_body(response))
        assert job_record(names, fault, f"IMPORT#{import_id}") is None, fault
    assert len(faults.fired) >= len(ABSORBED)


def test_a_delete_that_cannot_reach_dynamodb_is_503_and_a_repeat_completes_it(
    jobs_call: Call, faults: FaultInjector, names: Names
) -> None:
    for fault, plan in EXHAUSTING.items():
        import_id = json_body(jobs_call("POST", "/imports", owner=fault))["importId"]
        plan(faults, "DeleteItem", names["ItemsTable"])

        stopped = jobs_call("DELETE", f"/imports/{import_id}", owner=fault)

        assert stopped["statusCode"] == 503, fault
        assert job_record(names, fault, f"IMPORT#{import_id}") is not None, fault
        assert jobs_call("DELETE", f"/imports/{import_id}", owner=fault)["statusCode"] == 204, fault
        assert jobs_call("DELETE", f"/imports/{import_id}", owner=fault)["statusCode"] == 404, fault
