"""The /imports and /exports routes through the real handler and resolver, on in-memory adapters."""

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app import wiring
from app.domain.jobs import ExportRequested
from app.wiring import ApiServices
from tests.fakes.items import InMemoryItemRepository
from tests.fakes.jobs import InMemoryJobs
from tests.fakes.services import in_memory_services
from tests.support.apigw import LambdaContext, http_event, json_body

Send = Callable[..., tuple[dict[str, Any], str]]
UNKNOWN_ID = "01JAAAAAAAAAAAAAAAAAAAAAAA"


@pytest.fixture
def jobs() -> InMemoryJobs:
    return InMemoryJobs()


@pytest.fixture
def services(repository: InMemoryItemRepository, jobs: InMemoryJobs, monkeypatch: pytest.MonkeyPatch) -> ApiServices:
    fake = in_memory_services(repository, jobs=jobs)
    monkeypatch.setattr(wiring, "api_services", lambda: fake)
    return fake


@pytest.fixture
def send(services: ApiServices) -> Send:
    """Sends one event through the real handler; returns the response and the event's API request id."""
    from app.handlers.api import handler

    def send(method: str, path: str, **options: Any) -> tuple[dict[str, Any], str]:
        event = http_event(method, path, **options)
        return handler(event, LambdaContext()), event["requestContext"]["requestId"]

    return send


def test_create_import_is_202_with_a_presigned_post_for_the_owners_key(send: Send, jobs: InMemoryJobs) -> None:
    before = datetime.now(UTC)

    response, request_id = send("POST", "/imports")

    assert response["statusCode"] == 202
    body = json_body(response)
    assert set(body) == {"importId", "status", "upload", "expiresAt"}
    assert body["status"] == "PENDING"
    assert response["headers"]["Location"] == f"/imports/{body['importId']}"
    policy = json.loads(base64.b64decode(body["upload"]["fields"]["policy"]))
    assert policy == {
        "key": f"imports/alice/{body['importId']}.jsonl",
        "max_bytes": 50 * 1024 * 1024,
        "expires_in": 900,
    }
    expires_at = datetime.fromisoformat(body["expiresAt"])
    assert before + timedelta(minutes=15) <= expires_at <= datetime.now(UTC) + timedelta(minutes=15)
    assert jobs.records.get_import(owner="alice", import_id=body["importId"]).request_id == request_id


def test_a_new_import_reports_pending_with_nothing_counted(send: Send) -> None:
    import_id = json_body(send("POST", "/imports")[0])["importId"]

    response, _ = send("GET", f"/imports/{import_id}")

    assert response["statusCode"] == 200
    assert json_body(response) == {
        "importId": import_id,
        "status": "PENDING",
        "imported": 0,
        "rejected": 0,
        "errors": [],
        "failureReason": None,
    }


def test_create_export_is_202_and_queues_the_job_with_the_request_id(send: Send, jobs: InMemoryJobs) -> None:
    response, request_id = send("POST", "/exports")

    assert response["statusCode"] == 202
    body = json_body(response)
    assert body == {"exportId": body["exportId"], "status": "PENDING"}
    assert jobs.export_requests.messages == [
        ExportRequested(owner="alice", export_id=body["exportId"], request_id=request_id)
    ]


def test_a_pending_export_has_no_download_yet(send: Send) -> None:
    export_id = json_body(send("POST", "/exports")[0])["exportId"]

    body = json_body(send("GET", f"/exports/{export_id}")[0])

    assert body == {
        "exportId": export_id,
        "status": "PENDING",
        "itemCount": None,
        "downloadUrl": None,
        "expiresAt": None,
        "failureReason": None,
    }


def test_a_completed_export_has_a_fresh_15_minute_download_url(send: Send, jobs: InMemoryJobs) -> None:
    export_id = json_body(send("POST", "/exports")[0])["exportId"]
    jobs.records.complete_export(owner="alice", export_id=export_id, item_count=3)

    body = json_body(send("GET", f"/exports/{export_id}")[0])

    assert body["status"] == "COMPLETED"
    assert body["itemCount"] == 3
    assert body["downloadUrl"] == f"https://bucket.example.com/exports/alice/{export_id}.jsonl?expires=900"
    assert datetime.fromisoformat(body["expiresAt"]) > datetime.now(UTC) + timedelta(minutes=14)


@pytest.mark.parametrize("kind", ["imports", "exports"])
def test_a_failed_job_tells_its_owner_why(send: Send, jobs: InMemoryJobs, kind: str) -> None:
    job_id = json_body(send("POST", f"/{kind}")[0])[f"{kind[:-1]}Id"]
    if kind == "imports":
        jobs.records.fail_import(owner="alice", import_id=job_id, reason="The uploaded file no longer exists.")
    else:
        jobs.records.fail_export(owner="alice", export_id=job_id, reason="The export is larger than one file can hold.")

    body = json_body(send("GET", f"/{kind}/{job_id}")[0])

    assert body["status"] == "FAILED"
    assert body["failureReason"] in {
        "The uploaded file no longer exists.",
        "The export is larger than one file can hold.",
    }


@pytest.mark.parametrize("kind", ["imports", "exports"])
@pytest.mark.parametrize(("seconds_past_deadline", "status"), [(-60, "PROCESSING"), (1, "FAILED")])
def test_a_job_whose_final_attempt_was_killed_reads_failed_once_its_deadline_passed(
    send: Send, jobs: InMemoryJobs, kind: str, seconds_past_deadline: int, status: str
) -> None:
    job_id = json_body(send("POST", f"/{kind}")[0])[f"{kind[:-1]}Id"]
    deadline = datetime.now(UTC) - timedelta(seconds=seconds_past_deadline)
    if kind == "imports":
        jobs.records.start_import(owner="alice", import_id=job_id, version_id="v1", deadline=deadline)
    else:
        jobs.records.start_export(owner="alice", export_id=job_id, deadline=deadline)
    # The run is killed at its timeout here: no except, no finally, nothing more is written.

    body = json_body(send("GET", f"/{kind}/{job_id}")[0])

    assert body["status"] == status
    assert (body["failureReason"] is not None) == (status == "FAILED")


@pytest.mark.parametrize("kind", ["imports", "exports"])
def test_another_owners_job_is_404_like_a_missing_one(send: Send, kind: str) -> None:
    job_id = json_body(send("POST", f"/{kind}", owner="alice")[0])[f"{kind[:-1]}Id"]

    stolen, _ = send("GET", f"/{kind}/{job_id}", owner="mallory")
    missing, _ = send("GET", f"/{kind}/{UNKNOWN_ID}", owner="mallory")

    assert stolen["statusCode"] == missing["statusCode"] == 404
    assert json_body(stolen) == json_body(missing)
    assert json_body(stolen)["error"]["code"] == "NOT_FOUND"
    assert send("GET", f"/{kind}/{job_id}", owner="alice")[0]["statusCode"] == 200


@pytest.mark.parametrize("path", ["/imports/not-an-id", "/exports/not-an-id"])
def test_a_malformed_job_id_is_404(send: Send, path: str) -> None:
    assert send("GET", path)[0]["statusCode"] == 404


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/imports"), ("GET", f"/imports/{UNKNOWN_ID}"), ("POST", "/exports")]
)
def test_job_routes_need_a_token(send: Send, method: str, path: str) -> None:
    assert send(method, path, owner=None)[0]["statusCode"] == 401
