"""Job transitions and continuation messages under faults, on the real adapters and clients on moto.

The transitions (start, fail, complete, hand over) are idempotent: a retry after an applied attempt sets the same
state again, so each gives the answer it would have without the fault. A continuation message sent twice (applied,
then its answer lost) is two deliveries of one job: one of them carries on, the other finds nothing to do or loses
the commit race, and every line or item is still written exactly once.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.domain.errors import DependencyUnavailableError
from app.domain.ids import new_item_id
from app.models.jobs import ExportJob, ImportJob, JobStatus
from devstack.names import Names
from tests.integration.faults.plans import ABSORBED, EXHAUSTING
from tests.integration.handlers.test_imports_exports import drain, jsonl, owner_items, start_import
from tests.support.apigw import json_body
from tests.support.faults import FaultInjector

Call = Callable[..., dict[str, Any]]
Worker = Callable[[dict[str, Any], Any], dict[str, Any]]
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def records(names: Names) -> DynamoDBJobRecords:
    return DynamoDBJobRecords(client=boto3.client("dynamodb"), table_name=names["ItemsTable"], retention=timedelta(1))


def test_transitions_give_their_own_answer_after_an_absorbed_fault(names: Names, faults: FaultInjector) -> None:
    jobs = records(names)
    for fault, plan in ABSORBED.items():
        job = ImportJob(owner=fault, import_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r")
        export = ExportJob(
            owner=fault, export_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r"
        )
        jobs.add_import(job)
        jobs.add_export(export)
        table = names["ItemsTable"]

        plan(faults, "UpdateItem", table)
        started = jobs.start_import(owner=fault, import_id=job.import_id, version_id="v1", deadline=NOW)
        plan(faults, "UpdateItem", table)
        jobs.hand_over(owner=fault, kind="import", job_id=job.import_id)
        plan(faults, "UpdateItem", table)
        jobs.fail_import(owner=fault, import_id=job.import_id, reason="gone")
        plan(faults, "UpdateItem", table)
        exporting = jobs.start_export(owner=fault, export_id=export.export_id)
        plan(faults, "UpdateItem", table)
        jobs.complete_export(owner=fault, export_id=export.export_id, item_count=3)
        plan(faults, "UpdateItem", table)
        failed_export = jobs.fail_export(owner=fault, export_id=export.export_id, reason="late")

        assert started is not None, fault
        assert (started.status, started.attempt_deadline) == (JobStatus.PROCESSING, NOW), fault
        failed = jobs.get_import(owner=fault, import_id=job.import_id)
        assert (failed.status, failed.failure_reason, failed.attempt_deadline) == (JobStatus.FAILED, "gone", None)
        assert exporting is not None, fault
        assert exporting.status == JobStatus.PROCESSING, fault
        assert failed_export is None, fault  # COMPLETED is never overwritten
        done = jobs.get_export(owner=fault, export_id=export.export_id)
        assert (done.status, done.item_count) == (JobStatus.COMPLETED, 3), fault
    assert not faults.unfired()


def test_transitions_that_cannot_reach_dynamodb_are_unavailable_and_change_nothing(
    names: Names, faults: FaultInjector
) -> None:
    jobs = records(names)
    for fault, plan in EXHAUSTING.items():
        job = ImportJob(owner=fault, import_id=new_item_id(), status=JobStatus.PENDING, created_at=NOW, request_id="r")
        jobs.add_import(job)
        plan(faults, "UpdateItem", names["ItemsTable"])

        with pytest.raises(DependencyUnavailableError):
            jobs.start_import(owner=fault, import_id=job.import_id, version_id="v1")

        assert jobs.get_import(owner=fault, import_id=job.import_id) == job, fault
    assert not faults.unfired()


@pytest.mark.parametrize("plans", [ABSORBED, EXHAUSTING], ids=["absorbed", "exhausting"])
def test_a_faulty_continuation_message_still_imports_every_line_once(
    plans: dict[str, Any], jobs_call: Call, jobs_worker: Worker, names: Names, faults: FaultInjector
) -> None:
    for fault, plan in plans.items():
        import_id = start_import(jobs_call, jsonl(*({"name": f"item {n}"} for n in range(60))), owner=fault)
        plan(faults, "SendMessage", None)  # the first continuation

        # 1 s left on every invocation: each commits one chunk and hands over.
        drain(names, "ImportQueue", jobs_worker, timeout_ms=1000)

        report = json_body(jobs_call("GET", f"/imports/{import_id}", owner=fault))
        assert (report["status"], report["imported"]) == ("COMPLETED", 60), fault
        assert len(owner_items(names, fault)) == 60, fault
    assert not faults.unfired()
