"""Imports under faults, through the real worker, wiring and clients on moto: every line imported exactly once and
the job COMPLETED, whatever happens to the call that writes a chunk and commits it (one TransactWriteItems).

Absorbed faults (botocore's retries, including an attempt DynamoDB applied before its answer was lost) must not
look like another delivery having moved on (issue 9: 25 of 60 lines, PROCESSING forever; here 25 of 30); faults
that outlast the retries fail the message, which comes back and resumes from the last commit. A run killed at its
timeout, then redelivered, never writes a committed line again: an item the owner deleted or edited meanwhile
stays so.
"""

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from app import wiring
from app.domain.ids import derived_item_id
from devstack.names import Names
from tests.integration.faults.plans import ABSORBED, EXHAUSTING
from tests.integration.handlers.test_imports_exports import drain, jsonl, owner_items, start_import
from tests.support.apigw import LambdaContext, json_body
from tests.support.faults import FaultInjector
from tests.support.kills import Kill, killing, run_until_killed
from tests.support.sqs import sqs_event, sqs_record

Call = Callable[..., dict[str, Any]]
Worker = Callable[[dict[str, Any], Any], dict[str, Any]]
LINES = 30  # two chunks: 25 lines, then 5


def lines() -> bytes:
    return jsonl(*({"name": f"item {n}"} for n in range(LINES)))


@pytest.mark.parametrize("plans", [ABSORBED, EXHAUSTING], ids=["absorbed", "exhausting"])
def test_a_faulty_chunk_commit_still_imports_every_line_once(
    plans: dict[str, Any], jobs_call: Call, jobs_worker: Worker, names: Names, faults: FaultInjector
) -> None:
    for fault, plan in plans.items():
        import_id = start_import(jobs_call, lines(), owner=fault)
        plan(faults, "TransactWriteItems", names["ItemsTable"])  # the first chunk's commit

        drain(names, "ImportQueue", jobs_worker)

        report = json_body(jobs_call("GET", f"/imports/{import_id}", owner=fault))
        assert (report["status"], report["imported"], report["rejected"]) == ("COMPLETED", LINES, 0), fault
        assert len(owner_items(names, fault)) == LINES, fault
    assert not faults.unfired()


def take_notification(names: Names, import_id: str) -> str:
    """The upload's notification, off the queue: the test delivers it itself."""
    sqs = boto3.client("sqs")
    received = sqs.receive_message(QueueUrl=names["ImportQueue"], MaxNumberOfMessages=10)["Messages"]
    for message in received:
        sqs.delete_message(QueueUrl=names["ImportQueue"], ReceiptHandle=message["ReceiptHandle"])
    (body,) = [message["Body"] for message in received if import_id in message["Body"]]
    return body


def test_a_run_killed_after_writing_a_chunk_never_recreates_an_item_deleted_before_the_redelivery(
    jobs_call: Call, jobs_worker: Worker, names: Names, call: Call
) -> None:
    import_id = start_import(jobs_call, lines())
    body = take_notification(names, import_id)
    line_30, line_29 = derived_item_id(import_id, 30), derived_item_id(import_id, 29)
    # Killed right after the second chunk's items (lines 26-30) reached the table, whatever call wrote them.
    kill = Kill("dynamodb", ("BatchWriteItem", "PutItem", "TransactWriteItems"), match=lambda b: line_30 in str(b))

    with killing(kill):
        wiring.job_worker.cache_clear()
        context = LambdaContext(function_name="JobsWorkerFunction", timeout_ms=300_000)
        run_until_killed(lambda: jobs_worker(sqs_event([sqs_record(body)]), context), [kill])
        # Before the message comes back, the owner deletes one imported item of that chunk and edits another.
        assert call("DELETE", f"/items/{line_30}")["statusCode"] == 204
        call("PUT", f"/items/{line_29}", body={"name": "edited"}, headers={"If-Match": '"1"'})
        boto3.client("sqs").send_message(QueueUrl=names["ImportQueue"], MessageBody=body)  # the redelivery
        drain(names, "ImportQueue", jobs_worker)

    assert call("GET", f"/items/{line_30}")["statusCode"] == 404
    edited = json_body(call("GET", f"/items/{line_29}"))
    assert (edited["name"], edited["version"]) == ("edited", 2)
    report = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert (report["status"], report["imported"]) == ("COMPLETED", LINES)
    assert len(owner_items(names)) == LINES - 1
