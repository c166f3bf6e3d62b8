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
from app.adapters.dynamodb_jobs import DynamoDBJobRecords
from app.job_settings import get_jobs_api_settings
from app.settings import get_settings
from devstack.template import Template
from tests.support.apigw import LambdaContext

EVENTS = Path(__file__).parents[3] / "events" / "api"
SAMPLES = sorted(EVENTS.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(path.read_text())
    return event


def owner_of(event: dict[str, Any]) -> str:
    return str(event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"])


def finished_export(event: dict[str, Any], environment: dict[str, str]) -> None:
    """An export is deletable once finished; POST /exports leaves it queued."""
    records = DynamoDBJobRecords(
        client=boto3.client("dynamodb"), table_name=environment["ITEMS_TABLE_NAME"], retention=timedelta(days=1)
    )
    records.complete_export(owner=owner_of(event), export_id=event["pathParameters"]["id"], item_count=0)


# What a route needs beyond its resource created through its collection's POST sample, by route key.
SETTLE: dict[str, Callable[[dict[str, Any], dict[str, str]], None]] = {"DELETE /exports/{id}": finished_export}


def function_of(event: dict[str, Any], template: Template) -> str:
    """The function the template routes the event's route key to."""
    return next(route.function_id for route in template.routes() if route.route_key == event["routeKey"])


def send(event: dict[str, Any], template: Template, apply: Callable[[str], dict[str, str]]) -> dict[str, Any]:
    """Sends the event to the function the template routes it to, with that function's environment (its routers)."""
    from app.handlers.api import handler

    apply(function_of(event, template))
    for cached in (get_settings, get_jobs_api_settings, wiring.api_services):
        cached.cache_clear()
    return dict(handler(event, LambdaContext()))


def with_existing_resource(
    event: dict[str, Any], template: Template, apply: Callable[[str], dict[str, str]]
) -> dict[str, Any]:
    """For a route on /<collection>/{id}...: the resource created by the collection's POST sample for the same
    owner, and the event pointed at it (path, path parameter, If-Match). Other events are returned as they are."""
    route_path = event["routeKey"].split(" ", 1)[1]
    if "{id}" not in route_path:
        return event
    collection = route_path.split("/{id}")[0]
    [create] = [sample for path in SAMPLES if (sample := load(path))["routeKey"] == f"POST {collection}"]
    create["requestContext"]["authorizer"] = event["requestContext"]["authorizer"]  # the same owner
    created = send(create, template, apply)
    assert created["statusCode"] in (201, 202), created
    location = created["headers"]["Location"]
    path = route_path.replace(f"{collection}/{{id}}", location)
    event["pathParameters"]["id"] = location.rsplit("/", 1)[1]
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    if "if-match" in event["headers"]:
        event["headers"]["if-match"] = created["headers"]["ETag"]
    return event


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
# jobs_environment clears the cached settings and services before and after the test.
@pytest.mark.usefixtures("jobs_environment")
def test_sample_event_succeeds_through_the_handler(
    sample: Path, template: Template, function_environment: Callable[[str], dict[str, str]]
) -> None:
    event = with_existing_resource(load(sample), template, function_environment)
    if settle := SETTLE.get(event["routeKey"]):
        function = function_of(event, template)
        settle(event, function_environment(function))

    response = send(event, template, function_environment)

    assert 200 <= response["statusCode"] < 300, response


def test_every_template_route_has_a_sample(template: Template) -> None:
    sampled = {load(path)["routeKey"] for path in SAMPLES}
    routes = {f"{route.method} {route.path}" for route in template.routes()}

    assert routes - sampled == set()
