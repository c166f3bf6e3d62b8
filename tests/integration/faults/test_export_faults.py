"""Exports that continue across invocations, under faults, through the real worker, wiring and clients on moto.

Parts are made small here (moto's 5 MiB minimum lowered with them) so that a few dozen items make several parts,
hence several checkpoints. Whatever happens, the file holds every item of the owner exactly once, oldest first, and
no multipart upload is left behind; a job that is given up is FAILED with a reason and its upload aborted.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
import requests
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from app import wiring
from app.adapters.item_format import stored_attributes
from app.domain.ids import new_item_id
from app.domain.jobs import ExportRequested
from app.models.items import ItemPublic
from app.services.exports import export_line
from devstack.names import Names
from tests.integration.faults.plans import ABSORBED, EXHAUSTING
from tests.integration.handlers.test_imports_exports import drain
from tests.support.apigw import LambdaContext, json_body
from tests.support.faults import FaultInjector
from tests.support.kills import Kill, killing, run_until_killed
from tests.support.sqs import sqs_event, sqs_record

Call = Callable[..., dict[str, Any]]
Worker = Callable[[dict[str, Any], Any], dict[str, Any]]
PART_BYTES = 1024  # about 6 items per part
ITEMS = 30


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.adapters.s3_streams.PART_BYTES", PART_BYTES)
    monkeypatch.setattr("moto.s3.models.S3_UPLOAD_PART_MIN_SIZE", 1)


def add_items(names: Names, owner: str) -> list[ItemPublic]:
    now = datetime.now(UTC)
    items = [
        ItemPublic(id=new_item_id(), name=f"item {n}", tags=["t"], version=1, created_at=now, updated_at=now)
        for n in range(ITEMS)
    ]
    dynamodb = boto3.client("dynamodb")
    for item in items:
        dynamodb.put_item(TableName=names["ItemsTable"], Item=stored_attributes(owner, item))
    return items


def exported_file(jobs_call: Call, export_id: str, owner: str) -> bytes:
    export = json_body(jobs_call("GET", f"/exports/{export_id}", owner=owner))
    assert (export["status"], export["itemCount"]) == ("COMPLETED", ITEMS), export
    return requests.get(export["downloadUrl"], timeout=10).content


def open_uploads(names: Names) -> list[Any]:
    return list(boto3.client("s3").list_multipart_uploads(Bucket=names["JobsBucket"]).get("Uploads", []))


def test_an_export_longer_than_one_invocation_continues_from_its_checkpoints(
    jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    items = add_items(names, "alice")
    export_id = json_body(jobs_call("POST", "/exports"))["exportId"]

    # 1 s left on every invocation, far below the reserve: each one uploads and checkpoints a part, then hands over.
    responses = drain(names, "ExportQueue", jobs_worker, timeout_ms=1000)

    assert exported_file(jobs_call, export_id, "alice") == b"".join(export_line(item) for item in items)
    assert len(responses) >= ITEMS * len(export_line(items[0])) // PART_BYTES
    assert open_uploads(names) == []


@pytest.mark.parametrize("operation", ["TransactWriteItems", "UploadPart"])
@pytest.mark.parametrize("plans", [ABSORBED, EXHAUSTING], ids=["absorbed", "exhausting"])
def test_faulty_checkpoints_and_parts_still_export_every_item_once(
    plans: dict[str, Any],
    operation: str,
    jobs_call: Call,
    jobs_worker: Worker,
    names: Names,
    faults: FaultInjector,
) -> None:
    for fault, plan in plans.items():
        items = add_items(names, fault)
        export_id = json_body(jobs_call("POST", "/exports", owner=fault))["exportId"]
        table = names["ItemsTable"] if operation == "TransactWriteItems" else None
        plan(faults, operation, table)

        drain(names, "ExportQueue", jobs_worker)

        assert exported_file(jobs_call, export_id, fault) == b"".join(export_line(item) for item in items), fault
    assert not faults.unfired()
    assert open_uploads(names) == []


def export_message(jobs_call: Call, names: Names) -> tuple[str, str]:
    """A new export's id and its queue message, taken off the queue: the test delivers it itself."""
    export_id = json_body(jobs_call("POST", "/exports"))["exportId"]
    sqs = boto3.client("sqs")
    (message,) = sqs.receive_message(QueueUrl=names["ExportQueue"])["Messages"]
    sqs.delete_message(QueueUrl=names["ExportQueue"], ReceiptHandle=message["ReceiptHandle"])
    return export_id, message["Body"]


def checkpoints(body: dict[str, Any]) -> bool:
    return "checkpointSeq = :next" in str(body)


@pytest.fixture
def worker_context() -> LambdaContext:
    wiring.job_worker.cache_clear()  # the worker's clients are made inside the test, with its kills
    return LambdaContext(function_name="JobsWorkerFunction", timeout_ms=300_000)


def test_a_run_killed_after_a_checkpoint_resumes_without_losing_or_repeating_a_line(
    jobs_call: Call, jobs_worker: Worker, names: Names, worker_context: LambdaContext
) -> None:
    items = add_items(names, "alice")
    export_id, body = export_message(jobs_call, names)
    kill = Kill("dynamodb", ("TransactWriteItems",), match=checkpoints, skip=1)  # after the second checkpoint

    with killing(kill):
        wiring.job_worker.cache_clear()
        run_until_killed(lambda: jobs_worker(sqs_event([sqs_record(body)]), worker_context), [kill])
        assert json_body(jobs_call("GET", f"/exports/{export_id}"))["status"] == "PROCESSING"
        boto3.client("sqs").send_message(QueueUrl=names["ExportQueue"], MessageBody=body)  # the redelivery
        drain(names, "ExportQueue", jobs_worker)

    assert exported_file(jobs_call, export_id, "alice") == b"".join(export_line(item) for item in items)
    assert open_uploads(names) == []


def test_a_final_attempt_killed_at_its_timeout_leaves_a_job_that_reads_failed_after_its_deadline(
    jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    add_items(names, "alice")
    export_id, body = export_message(jobs_call, names)
    kill = Kill("dynamodb", ("TransactWriteItems",), match=checkpoints)
    final = sqs_record(body, receive_count=3)  # the template's JobQueueMaxReceiveCount: SQS dead-letters it next

    with killing(kill):
        wiring.job_worker.cache_clear()
        context = LambdaContext(function_name="JobsWorkerFunction", timeout_ms=2000)
        run_until_killed(lambda: jobs_worker(sqs_event([final]), context), [kill])
        before = json_body(jobs_call("GET", f"/exports/{export_id}"))
        time.sleep(2.1)  # Lambda would have ended the run by now
        after = json_body(jobs_call("GET", f"/exports/{export_id}"))

    assert (before["status"], before["failureReason"]) == ("PROCESSING", None)
    assert after["status"] == "FAILED"
    assert "final attempt" in after["failureReason"]


def test_a_final_attempt_that_fails_marks_the_job_failed_and_aborts_its_upload(
    jobs_call: Call, jobs_worker: Worker, names: Names, faults: FaultInjector
) -> None:
    add_items(names, "alice")
    export_id, body = export_message(jobs_call, names)
    # The first part and its checkpoint succeed; then S3 stays unreachable for every attempt of the second part.
    faults.fail_before_send("UploadPart", skip=1, times=4)
    message = ExportRequested.model_validate_json(body)

    with pytest.raises(BatchProcessingError):  # its only message failed: the invocation fails, SQS dead-letters it
        jobs_worker(sqs_event([sqs_record(body, receive_count=3)]), LambdaContext(timeout_ms=300_000))

    export = json_body(jobs_call("GET", f"/exports/{export_id}"))
    assert export["status"] == "FAILED"
    assert "operators have been alerted" in export["failureReason"]
    assert message.export_id == export_id
    assert open_uploads(names) == []


def test_a_continuation_sent_twice_still_exports_every_item_once(
    jobs_call: Call, jobs_worker: Worker, names: Names, faults: FaultInjector
) -> None:
    items = add_items(names, "alice")
    export_id = json_body(jobs_call("POST", "/exports"))["exportId"]
    faults.apply_then_timeout("SendMessage", skip=1)  # the first continuation goes out twice

    drain(names, "ExportQueue", jobs_worker, timeout_ms=1000)

    assert exported_file(jobs_call, export_id, "alice") == b"".join(export_line(item) for item in items)
    assert open_uploads(names) == []
