"""The audit function's entry writes under each fault: every stream record is recorded exactly once, whatever
botocore retried, and a record that cannot be written is reported as a batch item failure (Lambda delivers it again)
without writing anything."""

from collections.abc import Callable
from typing import Any

from devstack.names import Names
from tests.integration.faults.plans import ABSORBED, EXHAUSTING
from tests.support.apigw import LambdaContext, json_body
from tests.support.faults import FaultInjector
from tests.support.streams import lambda_event, read_stream

Call = Callable[..., dict[str, Any]]
Handler = Callable[..., Any]


def records_by_owner(call: Call, owners: list[str], names: Names) -> dict[str, dict[str, Any]]:
    """One item created per owner, and the stream record of each creation."""
    for owner in owners:
        assert call("POST", "/items", body={"name": owner}, owner=owner)["statusCode"] == 201
    records = read_stream(names["ItemsTable.StreamArn"])
    return {record["dynamodb"]["NewImage"]["pk"]["S"].removeprefix("OWNER#"): record for record in records}


def history(call: Call, record: dict[str, Any], owner: str) -> list[str]:
    item_id = record["dynamodb"]["NewImage"]["sk"]["S"].removeprefix("ITEM#")
    response = call("GET", f"/items/{item_id}/history", owner=owner)
    return [] if response["statusCode"] == 404 else [event["eventId"] for event in json_body(response)["events"]]


def test_each_record_is_recorded_once_under_each_fault(
    call: Call, audit_handler: Handler, faults: FaultInjector, names: Names
) -> None:
    records = records_by_owner(call, list(ABSORBED), names)
    for fault, plan in ABSORBED.items():
        plan(faults, "PutItem", names["AuditTable"])

        result = audit_handler(lambda_event([records[fault]]), LambdaContext())
        redelivered = audit_handler(lambda_event([records[fault]]), LambdaContext())

        assert result == redelivered == {"batchItemFailures": []}, fault
        assert history(call, records[fault], fault) == [records[fault]["eventID"]], fault


def test_a_record_that_cannot_be_written_is_a_batch_failure_and_writes_nothing(
    call: Call, audit_handler: Handler, faults: FaultInjector, names: Names
) -> None:
    """Each batch holds the faulted record and a healthy one (a batch that fails entirely raises instead, and
    Lambda retries all of it)."""
    records = records_by_owner(call, [f"{fault}{suffix}" for fault in EXHAUSTING for suffix in ("", "-ok")], names)
    for fault, plan in EXHAUSTING.items():
        record, healthy = records[fault], records[f"{fault}-ok"]
        plan(faults, "PutItem", names["AuditTable"])

        failed = audit_handler(lambda_event([record, healthy]), LambdaContext())
        assert failed == {"batchItemFailures": [{"itemIdentifier": record["dynamodb"]["SequenceNumber"]}]}, fault
        assert history(call, record, fault) == [], fault
        assert history(call, healthy, f"{fault}-ok") == [healthy["eventID"]], fault

        assert audit_handler(lambda_event([record]), LambdaContext()) == {"batchItemFailures": []}, fault
        assert history(call, record, fault) == [record["eventID"]], fault
