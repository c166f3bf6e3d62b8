"""Every sample in events/api/ (the files `sam local invoke -e` uses) goes through the real handler on moto,
and every HttpApi route in template.yaml has at least one sample."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from app.adapters.dynamodb_items import DynamoDBItemRepository
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


# What a sample's route needs to exist before it can succeed, by route key.
SETUPS: dict[str, Callable[[dict[str, Any], dict[str, str]], None]] = {
    "GET /items/{id}": existing_item,
    "PUT /items/{id}": existing_item,
    "DELETE /items/{id}": existing_item,
}


@pytest.mark.parametrize("sample", SAMPLES, ids=[path.stem for path in SAMPLES])
def test_sample_event_succeeds_through_the_handler(sample: Path, api_environment: dict[str, str]) -> None:
    from app.handlers.api import handler

    event = load(sample)
    if setup := SETUPS.get(event["routeKey"]):
        setup(event, api_environment)

    response = handler(event, LambdaContext())

    assert 200 <= response["statusCode"] < 300, response


def test_every_template_route_has_a_sample(template: Template) -> None:
    sampled = {load(path)["routeKey"] for path in SAMPLES}
    routes = {f"{route.method} {route.path}" for route in template.routes()}

    assert routes - sampled == set()
