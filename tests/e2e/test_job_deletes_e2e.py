"""DELETE /imports/{id} and /exports/{id} over HTTP: the job and its file go, owners stay isolated, a running job is
409. Against the local stack, which enforces JobsFunction's IAM policy, and whose table and bucket the local-only
tests read directly."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import requests

from app.domain.ids import new_item_id
from tests.e2e.localstack import Stack
from tests.e2e.test_imports_e2e import LINES, api, wait_until_finished

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


def finished_import_and_export(stack: Stack, token: str) -> tuple[str, str, dict[str, Any]]:
    """An import (its file uploaded) and an export, both COMPLETED: their ids and the export's report."""
    created = api(stack, token, "POST", "/imports")
    assert created.status_code == 202, created.text
    form = created.json()["upload"]
    content = "".join(json.dumps(line) + "\n" for line in LINES).encode()
    files = {"file": ("items.jsonl", content)}
    uploaded = requests.post(stack.reachable(form["url"]), data=form["fields"], files=files, timeout=10)
    assert uploaded.status_code == 204, uploaded.text
    import_id = created.json()["importId"]
    assert wait_until_finished(stack, token, f"/imports/{import_id}")["status"] == "COMPLETED"
    export_id = api(stack, token, "POST", "/exports").json()["exportId"]
    report = wait_until_finished(stack, token, f"/exports/{export_id}")
    assert report["status"] == "COMPLETED"
    return import_id, export_id, report


@pytest.mark.contract
def test_finished_jobs_are_deleted_by_their_owner_only(stack: Stack, token_for: Callable[[str], str]) -> None:
    owner, other = token_for("deleter"), token_for("other-deleter")
    import_id, export_id, report = finished_import_and_export(stack, owner)
    paths = [f"/imports/{import_id}", f"/exports/{export_id}"]

    stolen = [api(stack, other, "DELETE", path).status_code for path in paths]
    deleted = [api(stack, owner, "DELETE", path).status_code for path in paths]

    assert stolen == [404, 404]
    assert deleted == [204, 204]
    assert [api(stack, owner, "GET", path).status_code for path in paths] == [404, 404]
    assert [api(stack, owner, "DELETE", path).status_code for path in paths] == [404, 404]
    assert requests.get(stack.reachable(report["downloadUrl"]), timeout=10).status_code != 200


def test_a_deleted_jobs_record_and_files_are_gone_from_table_and_bucket(
    stack: Stack, token_for: Callable[[str], str]
) -> None:
    token = token_for("bucket-checker")
    import_id, export_id, _ = finished_import_and_export(stack, token)
    s3, bucket = stack.client("s3"), stack.outputs["JobsBucketName"]
    keys = [entry["Key"] for entry in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    (import_key,) = [key for key in keys if key.endswith(f"/{import_id}.jsonl")]
    (export_key,) = [key for key in keys if key.endswith(f"/{export_id}.jsonl")]
    owner = import_key.removeprefix("imports/").rpartition("/")[0]

    for path in (f"/imports/{import_id}", f"/exports/{export_id}"):
        answer = api(stack, token, "DELETE", path)
        assert answer.status_code == 204, answer.text

    remaining = {entry["Key"] for entry in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert {import_key, export_key} & remaining == set()
    assert job_records(stack, owner, import_id, export_id) == []


def owner_of(stack: Stack, token: str) -> str:
    """The token's subject, as the keys of its files spell it (an import's presigned form names its key)."""
    created = api(stack, token, "POST", "/imports").json()
    # An import still waiting for its upload is deletable: nothing of this probe stays.
    assert api(stack, token, "DELETE", f"/imports/{created['importId']}").status_code == 204
    return str(created["upload"]["fields"]["key"]).removeprefix("imports/").rpartition("/")[0]


def job_records(stack: Stack, owner: str, *job_ids: str) -> list[str]:
    keys = [f"{kind}#{job_id}" for job_id in job_ids for kind in ("IMPORT", "EXPORT")]
    found = stack.client("dynamodb").batch_get_item(
        RequestItems={
            stack.outputs["ItemsTableName"]: {
                "Keys": [{"pk": {"S": f"OWNER#{owner}"}, "sk": {"S": key}} for key in keys],
                "ConsistentRead": True,
            }
        }
    )
    return [item["sk"]["S"] for item in found["Responses"][stack.outputs["ItemsTableName"]]]


@pytest.mark.parametrize(("kind", "status"), [("IMPORT", "PROCESSING"), ("EXPORT", "PENDING")])
def test_a_running_import_or_queued_export_is_409_and_stays(
    stack: Stack, token_for: Callable[[str], str], kind: str, status: str
) -> None:
    """The job is written straight into the table, so that no worker moves it on while the API is asked."""
    token, job_id = token_for("busy"), new_item_id()
    owner = owner_of(stack, token)
    record: dict[str, dict[str, Any]] = {"pk": {"S": f"OWNER#{owner}"}, "sk": {"S": f"{kind}#{job_id}"}}
    record |= {"status": {"S": status}}
    record |= {"entity": {"S": kind.title()}, "createdAt": {"S": "2026-12-06T05:00:00+00:00"}}
    record |= {"requestId": {"S": "r"}, "imported": {"N": "0"}, "rejected": {"N": "0"}, "errors": {"L": []}}
    record |= {"nextLine": {"N": "1"}, "nextOffset": {"N": "0"}}
    stack.client("dynamodb").put_item(TableName=stack.outputs["ItemsTableName"], Item=record)
    path = f"/{kind.lower()}s/{job_id}"
    assert api(stack, token, "GET", path).json()["status"] == status

    refused = api(stack, token, "DELETE", path)

    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "JOB_NOT_FINISHED"
    assert job_records(stack, owner, job_id) == [f"{kind}#{job_id}"]
