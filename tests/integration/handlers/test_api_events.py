"""Every sample in events/api/ (the files `sam local invoke -e` uses) goes through the real handler on moto,
and every HttpApi route in template.yaml has at least one sample."""

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from app import wiring
from app.adapters.dynamodb_audit import DynamoDBAuditLog
from app.adapters.dynamodb_items import DynamoDBItemRepository
from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.adapters.item_stream import item_change
from app.models.jobs import ExportJob, ImportJob, JobStatus
from app.services.audit import AuditRecorder
from app.settings import get_jobs_api_settings, get_settings
from devstack.template import Template
from tests.integration.adapters.test_item_repository_contract import make_item
from tests.support.apigw import LambdaContext

EVENTS = Path(__file__).parents[3] / "events" / "api"
SAMPLES = sorted(EVENTS.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(path.read_text())
    return event


def owner_of(event: dict[str, Any]) -> str:
    return str(event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"])


def existing_item(event: dict[str, Any], environment: dict[str, str]) -> None:
    repository = DynamoDBItemRepository(client=boto3.client("dynamodb"), table_name=environment["ITEMS_TABLE_NAME"])
    repository.add(owner=owner_of(event), item=make_item(id=event["pathParameters"]["id"]))


def existing_history(event: dict[str, Any], environment: dict[str, str]) -> None:
    """The entries events/audit/insert.json leaves: the same owner created the same item."""
    log = DynamoDBAuditLog(client=boto3.client("dynamodb"), table_name=environment["AUDIT_TABLE_NAME"])
    recorder = AuditRecorder(log=log, retention=timedelta(days=1))
    for record in load(EVENTS.parent / "audit" / "insert.json")["Records"]:
        if (change := item_change(record)) is not None:
            recorder.record(change)


def existing_job(event: dict[str, Any], environment: dict[str, str]) -> None:
    records = DynamoDBJobRecords(
        client=boto3.client("dynamodb"), table_name=environment["ITEMS_TABLE_NAME"], retention=timedelta(days=1)
    )
    job_id, owner = event["pathParameters"]["id"], owner_of(event)
    fields = {"owner": owner, "status": JobStatus.PENDING, "created_at": make_item().created_at, "request_id": "r"}
    if "/imports/" in event["routeKey"]:
        records.add_import(ImportJob(import_id=job_id, **fields))
        return
    records.add_export(ExportJob(export_id=job_id, **fields))
    if event["routeKey"].startswith("DELETE"):  # an export is deletable once finished
        records.complete_export(owner=owner, export_id=job_id, item_count=0)


# What a sample's route needs to exist before it can succeed, by route key.
SETUPS: dict[str, Callable[[dict[str, Any], dict[str, str]], None]] = {
    "GET /items/{id}": existing_item,
    "PUT /items/{id}": existing_item,
    "DELETE /items/{id}": existing_item,
    "GET /items/{id}/history": existing_history,
    "GET /imports/{id}": existing_job,
    "GET /exports/{id}": existing_job,
    "DELETE /imports/{id}": existing_job,
    "DELETE /exports/{id}": existing_job,
}


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
# jobs_environment clears the cached settings and services before and after the test.
@pytest.mark.usefixtures("jobs_environment")
def test_sample_event_succeeds_through_the_handler(
    sample: Path, template: Template, function_environment: Callable[[str], dict[str, str]]
) -> None:
    from app.handlers.api import handler

    event = load(sample)
    # The sample goes to the function the template routes it to, with that function's environment (its routers).
    function = next(route.function_id for route in template.routes() if route.route_key == event["routeKey"])
    environment = function_environment(function)
    for cached in (get_settings, get_jobs_api_settings, wiring.api_services):
        cached.cache_clear()
    if setup := SETUPS.get(event["routeKey"]):
        setup(event, environment)

    response = handler(event, LambdaContext())

    assert 200 <= response["statusCode"] < 300, response


def test_every_template_route_has_a_sample(template: Template) -> None:
    sampled = {load(path)["routeKey"] for path in SAMPLES}
    routes = {f"{route.method} {route.path}" for route in template.routes()}

    assert routes - sampled == set()
