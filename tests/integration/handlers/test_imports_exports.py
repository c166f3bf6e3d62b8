"""Imports and exports end to end on moto: API -> presigned S3 -> notification -> queue -> worker -> API.

Lambda's SQS event source mapping is played by tests.support.sqs.poll_once: it receives a batch, invokes the
worker, deletes what succeeded and makes the failures visible again, so moto's redrive policy applies.
"""

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests

from devstack.names import Names
from tests.support.apigw import LambdaContext, http_event, json_body
from tests.support.logs import captured_logs
from tests.support.sqs import poll_once

Call = Callable[..., dict[str, Any]]
Worker = Callable[[dict[str, Any], Any], dict[str, Any]]
VALID = [{"name": "Lamp", "price": 12.5, "tags": ["home"]}, {"name": "Chair"}, {"name": "Desk", "description": "Oak"}]


def jsonl(*lines: object) -> bytes:
    return b"".join((line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n" for line in lines)


def upload(created: dict[str, Any], content: bytes) -> None:
    form = created["upload"]
    response = requests.post(form["url"], data=form["fields"], files={"file": ("items.jsonl", content)}, timeout=10)
    assert response.status_code == 204, response.text


def drain(names: Names, queue: str, worker: Worker, *, timeout_ms: int = 120_000) -> list[dict[str, Any]]:
    """Polls the queue until it is empty; returns the worker's responses, one per invocation."""
    sqs = boto3.client("sqs")
    responses: list[dict[str, Any]] = []

    def invoke(event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            response = worker(event, context)
        except Exception:
            responses.append({"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]]})
            raise
        responses.append(response)
        return response

    context = LambdaContext(function_name="JobsWorkerFunction", timeout_ms=timeout_ms)
    while poll_once(sqs, names[queue], names.get_att(queue, "Arn"), invoke, context):
        pass
    return responses


def start_import(jobs_call: Call, content: bytes, owner: str = "alice") -> str:
    created = json_body(jobs_call("POST", "/imports", owner=owner))
    upload(created, content)
    return str(created["importId"])


def owner_items(names: Names, owner: str = "alice") -> list[dict[str, Any]]:
    response = boto3.client("dynamodb").query(
        TableName=names["ItemsTable"],
        KeyConditionExpression="pk = :pk AND begins_with(sk, :item)",
        ExpressionAttributeValues={":pk": {"S": f"OWNER#{owner}"}, ":item": {"S": "ITEM#"}},
    )
    return list(response["Items"])


def test_an_import_imports_valid_lines_and_reports_the_others(
    jobs_call: Call, jobs_worker: Worker, names: Names, call: Call
) -> None:
    content = jsonl(VALID[0], b'{"name": "broken', {"name": "", "price": -1}, VALID[1], b"", VALID[2])
    import_id = start_import(jobs_call, content)

    responses = drain(names, "ImportQueue", jobs_worker)

    assert all(response["batchItemFailures"] == [] for response in responses)
    report = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert report | {"errors": []} == {
        "importId": import_id,
        "status": "COMPLETED",
        "imported": 3,
        "rejected": 2,
        "errors": [],
        "failureReason": None,
    }
    assert [error["line"] for error in report["errors"]] == [2, 3]
    assert "name" in report["errors"][1]["message"]
    assert "price" in report["errors"][1]["message"]
    listed = json_body(call("GET", "/items"))["items"]
    assert sorted(item["name"] for item in listed) == ["Chair", "Desk", "Lamp"]
    assert {item["version"] for item in listed} == {1}


def test_the_worker_logs_carry_the_request_id_of_post_imports(
    jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    from app.handlers.api import handler

    event = http_event("POST", "/imports")
    created = json_body(handler(event, LambdaContext(function_name="JobsFunction")))
    upload(created, jsonl(*VALID))

    with captured_logs() as logs:
        drain(names, "ImportQueue", jobs_worker)

    job_logs = [log for log in logs() if log.get("importId") == created["importId"]]
    assert job_logs
    assert {log.get("correlation_id") for log in job_logs} == {event["requestContext"]["requestId"]}


def test_redelivery_creates_no_duplicates(jobs_call: Call, jobs_worker: Worker, names: Names) -> None:
    import_id = start_import(jobs_call, jsonl(*VALID))
    notification = boto3.client("sqs").receive_message(QueueUrl=names["ImportQueue"], MaxNumberOfMessages=10)
    bodies = [message["Body"] for message in notification["Messages"] if import_id in message["Body"]]
    for body in bodies * 2:  # the notification, delivered twice more
        boto3.client("sqs").send_message(QueueUrl=names["ImportQueue"], MessageBody=body)

    drain(names, "ImportQueue", jobs_worker)

    assert json_body(jobs_call("GET", f"/imports/{import_id}"))["imported"] == 3
    assert len(owner_items(names)) == 3


def test_an_import_longer_than_one_invocation_continues_until_done(
    jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    import_id = start_import(jobs_call, jsonl(*({"name": f"item {n}"} for n in range(110))))

    # 1 s left on every invocation: below the 20 s reserve, so each one commits a chunk and hands over.
    responses = drain(names, "ImportQueue", jobs_worker, timeout_ms=1000)

    report = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert (report["status"], report["imported"], report["rejected"]) == ("COMPLETED", 110, 0)
    assert len(responses) >= 110 // 25
    assert len(owner_items(names)) == 110


def test_a_poison_message_reaches_the_dlq_while_the_rest_of_its_batch_succeeds(
    jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    sqs = boto3.client("sqs")
    imports = [start_import(jobs_call, jsonl(*VALID), owner=owner) for owner in ("alice", "bob")]
    poison = sqs.send_message(QueueUrl=names["ImportQueue"], MessageBody="not a job")["MessageId"]

    responses = drain(names, "ImportQueue", jobs_worker)

    assert [failure["itemIdentifier"] for failure in responses[0]["batchItemFailures"]] == [poison]
    assert len(responses) == 3  # maxReceiveCount receives, then SQS moves it to the dead-letter queue
    dead = sqs.receive_message(QueueUrl=names["ImportDeadLetterQueue"], MaxNumberOfMessages=10)["Messages"]
    assert [message["Body"] for message in dead] == ["not a job"]
    for owner, import_id in zip(("alice", "bob"), imports, strict=True):
        assert json_body(jobs_call("GET", f"/imports/{import_id}", owner=owner))["status"] == "COMPLETED"


def test_an_import_whose_file_is_gone_fails(jobs_call: Call, jobs_worker: Worker, names: Names) -> None:
    import_id = start_import(jobs_call, jsonl(*VALID))
    s3 = boto3.client("s3")
    for version in s3.list_object_versions(Bucket=names["JobsBucket"])["Versions"]:
        s3.delete_object(Bucket=names["JobsBucket"], Key=version["Key"], VersionId=version["VersionId"])

    responses = drain(names, "ImportQueue", jobs_worker)

    assert all(response["batchItemFailures"] == [] for response in responses)
    assert json_body(jobs_call("GET", f"/imports/{import_id}"))["status"] == "FAILED"


def test_an_export_round_trips_through_the_presigned_url(
    jobs_call: Call, jobs_worker: Worker, names: Names, call: Call
) -> None:
    created = [json_body(call("POST", "/items", body=item)) for item in VALID]
    call("POST", "/items", owner="bob", body={"name": "not alice's"})
    export_id = json_body(jobs_call("POST", "/exports"))["exportId"]
    assert json_body(jobs_call("GET", f"/exports/{export_id}"))["downloadUrl"] is None

    drain(names, "ExportQueue", jobs_worker)

    export = json_body(jobs_call("GET", f"/exports/{export_id}"))
    assert (export["status"], export["itemCount"]) == ("COMPLETED", 3)
    url = urlparse(export["downloadUrl"])
    query = parse_qs(url.query)
    assert url.hostname == f"{names['JobsBucket']}.s3.us-east-1.amazonaws.com"
    assert (query["X-Amz-Algorithm"], query["X-Amz-Expires"]) == (["AWS4-HMAC-SHA256"], ["900"])
    expires_at = datetime.fromisoformat(export["expiresAt"])
    assert expires_at <= datetime.now(UTC) + timedelta(minutes=15)
    downloaded = requests.get(export["downloadUrl"], timeout=10)
    assert downloaded.status_code == 200
    lines = [json.loads(line) for line in downloaded.content.splitlines()]
    assert lines == [json_body(call("GET", f"/items/{item['id']}")) for item in created]


def test_the_presigned_post_policy_holds_every_condition(jobs_call: Call, names: Names) -> None:
    before = datetime.now(UTC)

    created = json_body(jobs_call("POST", "/imports"))
    after = datetime.now(UTC)

    form = created["upload"]
    assert urlparse(form["url"]).hostname == f"{names['JobsBucket']}.s3.us-east-1.amazonaws.com"
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    key = f"imports/alice/{created['importId']}.jsonl"
    assert form["fields"]["key"] == key
    assert form["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    conditions = policy["conditions"]
    assert ["content-length-range", 1, 50 * 1024 * 1024] in conditions
    assert {"Content-Type": "application/x-ndjson"} in conditions
    assert {"key": key} in conditions
    assert {"bucket": names["JobsBucket"]} in conditions
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    # The policy expires 15 minutes after it was signed, which happened during the call (slow on a loaded machine).
    assert before + timedelta(minutes=15, seconds=-1) <= expiration <= after + timedelta(minutes=15, seconds=1)
    assert datetime.fromisoformat(created["expiresAt"]) == pytest.approx(expiration, abs=timedelta(seconds=2))


@pytest.mark.parametrize("kind", ["imports", "exports"])
def test_another_owners_job_is_404(jobs_call: Call, kind: str) -> None:
    job_id = json_body(jobs_call("POST", f"/{kind}", owner="alice"))[f"{kind[:-1]}Id"]

    stolen = jobs_call("GET", f"/{kind}/{job_id}", owner="mallory")

    assert stolen["statusCode"] == 404
    assert json_body(stolen)["error"]["code"] == "NOT_FOUND"
    assert jobs_call("GET", f"/{kind}/{job_id}", owner="alice")["statusCode"] == 200


def test_a_file_over_import_max_bytes_fails_with_a_reason_and_imports_nothing(
    jobs_call: Call, jobs_worker: Worker, names: Names, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import wiring
    from app.job_settings import get_jobs_worker_settings

    content = jsonl(*VALID)
    import_id = start_import(jobs_call, content)  # the presigned POST allows it: its policy is the API's setting
    monkeypatch.setenv("IMPORT_MAX_BYTES", str(len(content) - 1))  # but the worker's limit is lower
    get_jobs_worker_settings.cache_clear()
    wiring.job_worker.cache_clear()

    drain(names, "ImportQueue", jobs_worker)

    report = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert (report["status"], report["imported"], report["rejected"]) == ("FAILED", 0, 0)
    assert f"{len(content)} bytes" in report["failureReason"]
    assert owner_items(names) == []
