"""Imports under injected faults on the worker's real clients (moto): every line imported exactly once,
the job COMPLETED, whatever happens to the calls that commit a chunk."""

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from app import wiring
from app.domain.ids import derived_item_id
from devstack.names import Names
from tests.integration.handlers.test_imports_exports import drain, jsonl, owner_items, start_import
from tests.support.apigw import LambdaContext, json_body
from tests.support.job_faults import KINDS, Fault, Kind, faults, run_until_killed
from tests.support.sqs import sqs_event, sqs_record

Call = Callable[..., dict[str, Any]]
Worker = Callable[[dict[str, Any], Any], dict[str, Any]]
# Whatever call commits an import's chunk: it always sets the record's next line.
COMMIT_OPERATIONS = ("UpdateItem", "TransactWriteItems")


def commits_progress(body: dict[str, Any]) -> bool:
    return "nextLine = :nextLine" in str(body)


@pytest.mark.parametrize("kind", KINDS)
def test_a_faulty_progress_commit_still_imports_every_line_once(
    kind: Kind, jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    import_id = start_import(jobs_call, jsonl(*({"name": f"item {n}"} for n in range(60))))
    fault = Fault(kind, "dynamodb", COMMIT_OPERATIONS, match=commits_progress)

    with faults(fault):
        wiring.job_worker.cache_clear()  # the worker's clients are created inside the block, with the faults
        drain(names, "ImportQueue", jobs_worker)

    assert fault.fired == 1
    report = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert (report["status"], report["imported"], report["rejected"]) == ("COMPLETED", 60, 0)
    assert len(owner_items(names)) == 60


def test_a_run_killed_after_writing_a_chunk_never_recreates_an_item_deleted_before_the_redelivery(
    jobs_call: Call, jobs_worker: Worker, names: Names, call: Call
) -> None:
    import_id = start_import(jobs_call, jsonl(*({"name": f"item {n}"} for n in range(60))))
    sqs = boto3.client("sqs")
    received = sqs.receive_message(QueueUrl=names["ImportQueue"], MaxNumberOfMessages=10)["Messages"]
    (notification,) = [message for message in received if import_id in message["Body"]]
    for message in received:
        sqs.delete_message(QueueUrl=names["ImportQueue"], ReceiptHandle=message["ReceiptHandle"])
    line_30, line_31 = derived_item_id(import_id, 30), derived_item_id(import_id, 31)
    # Killed right after the second chunk's items (lines 26-50) reached the table, whatever wrote them.
    writes = ("BatchWriteItem", "PutItem", "TransactWriteItems")
    killed = Fault("killed", "dynamodb", writes, match=lambda body: line_30 in str(body))

    with faults(killed):
        wiring.job_worker.cache_clear()
        context = LambdaContext(function_name="JobsWorkerFunction", timeout_ms=300_000)
        event = sqs_event([sqs_record(notification["Body"])])
        run = run_until_killed(lambda: jobs_worker(event, context), [killed])
        # Before the message comes back, the owner deletes one imported item of that chunk and edits another.
        assert call("DELETE", f"/items/{line_30}")["statusCode"] == 204
        call("PUT", f"/items/{line_31}", body={"name": "edited"}, headers={"If-Match": '"1"'})
        sqs.send_message(QueueUrl=names["ImportQueue"], MessageBody=notification["Body"])  # the redelivery
        drain(names, "ImportQueue", jobs_worker)

    run.join(10)
    assert call("GET", f"/items/{line_30}")["statusCode"] == 404
    edited = json_body(call("GET", f"/items/{line_31}"))
    assert (edited["name"], edited["version"]) == ("edited", 2)
    report = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert (report["status"], report["imported"]) == ("COMPLETED", 60)
    assert len(owner_items(names)) == 59
