"""The local HTTP API in front of template.yaml: public routes, unknown routes and CORS."""

import pytest
import requests

from tests.e2e.localstack import Stack

pytestmark = pytest.mark.e2e
ALLOWED_ORIGIN = "http://localhost:3000"  # the template's CorsAllowedOrigins default


def preflight(stack: Stack, origin: str, method: str = "POST") -> requests.Response:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    return requests.options(f"{stack.base_url}/items", headers=headers, timeout=10)


@pytest.mark.contract
def test_health_answers_without_a_token(stack: Stack) -> None:
    response = requests.get(f"{stack.base_url}/health", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_route_is_not_found(stack: Stack) -> None:
    response = requests.get(f"{stack.base_url}/nowhere", timeout=10)

    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


def test_preflight_is_answered_before_the_authorizer(stack: Stack) -> None:
    response = preflight(stack, ALLOWED_ORIGIN)

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"].split(",")
    assert set(response.headers["access-control-allow-headers"].split(",")) >= {"authorization", "content-type"}
    assert response.headers["access-control-max-age"] == "600"


def test_preflight_from_another_origin_gets_no_cors_headers(stack: Stack) -> None:
    response = preflight(stack, "https://evil.example.com")

    assert "access-control-allow-origin" not in response.headers


def test_responses_to_an_allowed_origin_carry_cors_headers(stack: Stack) -> None:
    response = requests.get(f"{stack.base_url}/health", headers={"Origin": ALLOWED_ORIGIN}, timeout=10)

    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert set(response.headers["access-control-expose-headers"].split(",")) == {"etag", "location", "retry-after"}


def test_outputs_point_at_the_local_stack(stack: Stack) -> None:
    assert stack.outputs["ApiUrl"] == stack.base_url
    assert stack.outputs["AwsEndpointUrl"] == stack.aws_endpoint
    assert stack.outputs["ItemsTableName"] in stack.client("dynamodb").list_tables()["TableNames"]
