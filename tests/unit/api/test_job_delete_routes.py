"""DELETE /imports/{id} and /exports/{id} through the real handler and resolver, on in-memory adapters: who may
delete what, when, and what is left after a delete stopped half-way."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app import wiring
from app.domain.errors import DependencyUnavailableError
from app.models.jobs import JobStatus
from app.wiring import ApiServices
from tests.fakes.items import InMemoryItemRepository
from tests.fakes.jobs import InMemoryJobs
from tests.fakes.services import in_memory_services
from tests.support.apigw import LambdaContext, http_event, json_body

Send = Callable[..., dict[str, Any]]
UNKNOWN_ID = "01JAAAAAAAAAAAAAAAAAAAAAAA"
KINDS = ["imports", "exports"]


@pytest.fixture
def jobs() -> InMemoryJobs:
    return InMemoryJobs()


@pytest.fixture
def send(repository: InMemoryItemRepository, jobs: InMemoryJobs, monkeypatch: pytest.MonkeyPatch) -> Send:
    fake: ApiServices = in_memory_services(repository, jobs=jobs)
    monkeypatch.setattr(wiring, "api_services", lambda: fake)
    from app.handlers.api import handler

    def send(method: str, path: str, **options: Any) -> dict[str, Any]:
        return dict(handler(http_event(method, path, **options), LambdaContext()))

    return send


def create(send: Send, kind: str, owner: str = "alice") -> str:
    return str(json_body(send("POST", f"/{kind}", owner=owner))[f"{kind[:-1]}Id"])


def file_key(kind: str, job_id: str, owner: str = "alice") -> str:
    return f"{kind}/{owner}/{job_id}.jsonl"


def set_status(jobs: InMemoryJobs, kind: str, job_id: str, status: JobStatus, **fields: Any) -> None:
    table: Any = jobs.records.imports if kind == "imports" else jobs.records.exports
    table[("alice", job_id)] = table[("alice", job_id)].model_copy(update={"status": status} | fields)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [JobStatus.COMPLETED, JobStatus.FAILED])
def test_a_finished_job_is_deleted_with_its_file_and_then_is_404(
    send: Send, jobs: InMemoryJobs, kind: str, status: JobStatus
) -> None:
    job_id = create(send, kind)
    set_status(jobs, kind, job_id, status)
    jobs.files.objects[file_key(kind, job_id)] = b'{"name": "x"}\n'

    deleted = send("DELETE", f"/{kind}/{job_id}")

    assert (deleted["statusCode"], deleted.get("body") or "") == (204, "")
    assert file_key(kind, job_id) not in jobs.files.objects
    assert send("GET", f"/{kind}/{job_id}")["statusCode"] == 404
    again = send("DELETE", f"/{kind}/{job_id}")
    assert (again["statusCode"], json_body(again)["error"]["code"]) == (404, "NOT_FOUND")


def test_an_import_still_waiting_for_its_upload_is_deletable(send: Send, jobs: InMemoryJobs) -> None:
    import_id = create(send, "imports")

    assert send("DELETE", f"/imports/{import_id}")["statusCode"] == 204
    assert jobs.files.deleted == [file_key("imports", import_id)]  # an upload that arrived meanwhile goes too
    assert jobs.records.imports == {}


@pytest.mark.parametrize(
    ("kind", "status"),
    [("imports", JobStatus.PROCESSING), ("exports", JobStatus.PROCESSING), ("exports", JobStatus.PENDING)],
    ids=["a running import", "a running export", "a queued export"],
)
def test_an_unfinished_job_is_409_and_keeps_its_record_and_file(
    send: Send, jobs: InMemoryJobs, kind: str, status: JobStatus
) -> None:
    job_id = create(send, kind)
    set_status(jobs, kind, job_id, status)
    jobs.files.objects[file_key(kind, job_id)] = b"data"

    refused = send("DELETE", f"/{kind}/{job_id}")

    assert refused["statusCode"] == 409
    assert json_body(refused)["error"]["code"] == "JOB_NOT_FINISHED"
    assert "finished" in json_body(refused)["error"]["message"]
    assert send("GET", f"/{kind}/{job_id}")["statusCode"] == 200
    assert (jobs.files.deleted, file_key(kind, job_id) in jobs.files.objects) == ([], True)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("seconds_past_deadline", "status"), [(-60, 409), (1, 204)])
def test_a_job_whose_final_attempt_was_stopped_is_deletable_once_its_deadline_passed(
    send: Send, jobs: InMemoryJobs, kind: str, seconds_past_deadline: int, status: int
) -> None:
    job_id = create(send, kind)
    deadline = datetime.now(UTC) - timedelta(seconds=seconds_past_deadline)
    set_status(jobs, kind, job_id, JobStatus.PROCESSING, attempt_deadline=deadline)

    assert send("DELETE", f"/{kind}/{job_id}")["statusCode"] == status


@pytest.mark.parametrize("kind", KINDS)
def test_another_owners_job_is_404_like_a_missing_one_and_stays(send: Send, jobs: InMemoryJobs, kind: str) -> None:
    job_id = create(send, kind)
    set_status(jobs, kind, job_id, JobStatus.COMPLETED)

    stolen = send("DELETE", f"/{kind}/{job_id}", owner="mallory")
    missing = send("DELETE", f"/{kind}/{UNKNOWN_ID}", owner="mallory")

    assert stolen["statusCode"] == missing["statusCode"] == 404
    assert json_body(stolen) == json_body(missing)
    assert jobs.files.deleted == []
    assert send("GET", f"/{kind}/{job_id}")["statusCode"] == 200


@pytest.mark.parametrize("path", ["/imports/not-an-id", "/exports/not-an-id", "/exports/" + "A" * 300])
def test_a_malformed_job_id_is_404_as_for_get(send: Send, path: str) -> None:
    assert send("DELETE", path)["statusCode"] == send("GET", path)["statusCode"] == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_delete_stopped_after_the_file_is_completed_by_a_repeat(
    send: Send, jobs: InMemoryJobs, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The file goes first, the record last: a delete that stops in between leaves the record to find."""
    job_id = create(send, kind)
    set_status(jobs, kind, job_id, JobStatus.COMPLETED)
    jobs.files.objects[file_key(kind, job_id)] = b"data"
    operation = f"delete_{kind[:-1]}"
    delete_record = getattr(jobs.records, operation)

    def unavailable(**_: Any) -> None:
        raise DependencyUnavailableError()

    monkeypatch.setattr(jobs.records, operation, unavailable)
    first = send("DELETE", f"/{kind}/{job_id}")
    monkeypatch.setattr(jobs.records, operation, delete_record)

    assert first["statusCode"] == 503
    assert file_key(kind, job_id) not in jobs.files.objects
    assert send("DELETE", f"/{kind}/{job_id}")["statusCode"] == 204
    assert send("GET", f"/{kind}/{job_id}")["statusCode"] == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_cannot_be_deleted_leaves_the_record(
    send: Send, jobs: InMemoryJobs, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    job_id = create(send, kind)
    set_status(jobs, kind, job_id, JobStatus.FAILED)

    def unavailable(**_: Any) -> None:
        raise DependencyUnavailableError()

    monkeypatch.setattr(jobs.files, "delete_file", unavailable)

    assert send("DELETE", f"/{kind}/{job_id}")["statusCode"] == 503
    assert send("GET", f"/{kind}/{job_id}")["statusCode"] == 200


@pytest.mark.parametrize("kind", KINDS)
def test_job_deletes_need_a_token(send: Send, kind: str) -> None:
    assert send("DELETE", f"/{kind}/{UNKNOWN_ID}", owner=None)["statusCode"] == 401
