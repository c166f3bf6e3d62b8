"""A function and routes added to a copy of template.yaml answer with no code change, with Lambda's event,
context and environment (tests/e2e/fixtures/extra-resources.yaml, handler e2e_echo)."""

import base64
from collections.abc import Callable
from typing import Any

import pytest
import requests

from devstack.template import load_template
from tests.e2e.localstack import Stack
from tests.e2e.tokens import cognito_claims, mint

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def echo(fixture_stack: Stack, fixture_token_for: Callable[[str], str]) -> requests.Response:
    return requests.get(
        f"{fixture_stack.base_url}/echo/abc?x=1&x=2&y=z",
        headers={"Authorization": f"Bearer {fixture_token_for('bob')}", "X-Custom": "Yes", "Cookie": "a=1; b=2"},
        timeout=10,
    )


def test_new_route_answers(echo: requests.Response) -> None:
    assert echo.status_code == 200


def test_event_is_payload_format_2(echo: requests.Response) -> None:
    event: dict[str, Any] = echo.json()["event"]

    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /echo/{id}"
    assert event["rawPath"] == "/echo/abc"
    assert event["rawQueryString"] == "x=1&x=2&y=z"
    assert event["queryStringParameters"] == {"x": "1,2", "y": "z"}
    assert event["pathParameters"] == {"id": "abc"}
    assert event["headers"]["x-custom"] == "Yes"
    assert event["cookies"] == ["a=1", "b=2"]
    assert "cookie" not in event["headers"]
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert (context["stage"], context["http"]["method"], context["http"]["path"]) == ("$default", "GET", "/echo/abc")
    assert context["http"]["sourceIp"] == "127.0.0.1"
    assert context["authorizer"]["jwt"]["claims"]["token_use"] == "access"
    assert isinstance(context["timeEpoch"], int)


def test_function_gets_its_context_and_environment(echo: requests.Response, fixture_stack: Stack) -> None:
    seen = echo.json()

    globals_ = load_template().body["Globals"]["Function"]  # EchoFunction sets neither memory nor timeout
    assert seen["context"]["function_name"] == "items-local-EchoFunction"
    assert seen["context"]["memory_limit_in_mb"] == globals_["MemorySize"]
    assert 0 < seen["context"]["remaining_ms"] <= globals_["Timeout"] * 1000
    assert seen["environment"] == {
        "ITEMS_TABLE_NAME": fixture_stack.outputs["ItemsTableName"],
        "ECHO_SETTING": "items-local-echo",
    }


def test_response_cookies_and_multi_value_headers(echo: requests.Response) -> None:
    assert echo.headers["x-echo"] == "one, two"
    assert echo.cookies["session"] == "abc"
    assert echo.cookies["theme"] == "dark"


def test_public_greedy_route_needs_no_token(fixture_stack: Stack) -> None:
    response = requests.post(f"{fixture_stack.base_url}/public/a/b", json={"k": "v"}, timeout=10)

    event = response.json()["event"]
    assert event["routeKey"] == "ANY /public/{proxy+}"
    assert event["pathParameters"] == {"proxy": "a/b"}
    assert event["body"] == '{"k": "v"}'
    assert "authorizer" not in event["requestContext"]


def test_binary_bodies_are_base64_both_ways(fixture_stack: Stack) -> None:
    sent = requests.put(
        f"{fixture_stack.base_url}/public/upload",
        data=b"\x89PNG",
        headers={"Content-Type": "image/png"},
        timeout=10,
    ).json()["event"]
    received = requests.get(f"{fixture_stack.base_url}/public/download?base64=1", timeout=10)

    assert sent["isBase64Encoded"] is True
    assert base64.b64decode(sent["body"]) == b"\x89PNG"
    assert received.content == b"\x00binary"


def test_claims_reach_the_function_as_strings(fixture_stack: Stack) -> None:
    claims = cognito_claims(fixture_stack.outputs, groups=["admin", "ops"])
    response = requests.get(
        f"{fixture_stack.base_url}/echo/1", headers={"Authorization": f"Bearer {mint(claims)}"}, timeout=10
    )

    jwt = response.json()["event"]["requestContext"]["authorizer"]["jwt"]
    assert jwt["claims"]["sub"] == claims["sub"]
    assert jwt["claims"]["exp"] == str(claims["exp"])
    assert jwt["claims"]["groups"] == "[admin ops]"
    assert jwt["scopes"] == ["aws.cognito.signin.user.admin"]
