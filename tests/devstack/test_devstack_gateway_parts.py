"""The pieces of the local HTTP API that need no server: routes, CORS, claims checks, response conversion."""

import base64
import time

import pytest

from app.auth.jwt_verifier import UnauthorizedError, check_claims
from devstack.apigw import claim_text, http_response
from devstack.cors import Cors
from devstack.pollers.base import batch_item_failures
from devstack.routing import Router
from devstack.sam import Route, merge


def route(method: str, path: str | None) -> Route:
    return Route(method=method, path=path, function_id=f"{method} {path}", api_id="Api", authorizer=None, scopes=())


ROUTER = Router(
    [
        route("GET", "/items/{id}"),
        route("GET", "/items/special"),
        route("ANY", "/items/{id}"),
        route("ANY", "/files/{proxy+}"),
        route("ANY", None),
    ]
)


@pytest.mark.parametrize(
    ("method", "path", "route_key", "parameters"),
    [
        ("GET", "/items/special", "GET /items/special", {}),
        ("GET", "/items/42", "GET /items/{id}", {"id": "42"}),
        ("PUT", "/items/42", "ANY /items/{id}", {"id": "42"}),
        ("GET", "/files/a/b.txt", "ANY /files/{proxy+}", {"proxy": "a/b.txt"}),
        ("GET", "/elsewhere", "$default", {}),
    ],
)
def test_most_specific_route_wins(method: str, path: str, route_key: str, parameters: dict[str, str]) -> None:
    match = ROUTER.match(method, path)

    assert match is not None
    assert (match.route.route_key, match.path_parameters) == (route_key, parameters)


def test_no_route_and_no_default_is_none() -> None:
    assert Router([route("GET", "/a")]).match("GET", "/b") is None


CORS = Cors.from_configuration(
    {"AllowOrigins": ["https://*.example.com"], "AllowMethods": ["GET"], "AllowHeaders": ["authorization"]}
)


def test_cors_wildcard_subdomain_is_allowed() -> None:
    assert CORS is not None
    assert ("access-control-allow-origin", "https://app.example.com") in CORS.preflight(
        "https://app.example.com", "GET", "Authorization"
    )


@pytest.mark.parametrize(
    ("origin", "method", "headers"),
    [
        ("https://evil.com", "GET", ""),
        ("https://a.example.com", "DELETE", ""),
        ("https://a.example.com", "GET", "x-other"),
    ],
)
def test_cors_preflight_refuses_what_is_not_allowed(origin: str, method: str, headers: str) -> None:
    assert CORS is not None
    assert CORS.preflight(origin, method, headers) == []


CLAIMS = {"iss": "https://issuer", "client_id": "client", "token_use": "access", "exp": 0}


@pytest.mark.parametrize(
    "changes",
    [{"iss": "https://other"}, {"client_id": "other"}, {"exp": -10}, {"token_use": "refresh"}, {"nbf": 10**10}],
)
def test_claims_checks_reject(changes: dict[str, object]) -> None:
    claims = {**CLAIMS, "exp": time.time() + 60, **changes}
    if changes.get("exp") == -10:
        claims["exp"] = time.time() - 10

    with pytest.raises(UnauthorizedError):
        check_claims(claims, issuer="https://issuer", audience=("client",), now=time.time())


def test_id_token_audience_is_checked_on_aud() -> None:
    claims = {"iss": "https://issuer", "aud": "client", "token_use": "id", "exp": time.time() + 60}

    check_claims(claims, issuer="https://issuer", audience=("client",), now=time.time())


def test_claims_become_strings_like_api_gateway_passes_them() -> None:
    assert [claim_text(value) for value in (["a", "b"], True, 5, "x")] == ["[a b]", "true", "5", "x"]


def test_response_without_status_code_is_json_200() -> None:
    response = http_response({"hello": "world"})

    assert (response.status, response.body) == (200, b'{"hello": "world"}')


def test_response_with_cookies_and_base64_body() -> None:
    response = http_response(
        {"statusCode": 201, "cookies": ["a=1"], "body": base64.b64encode(b"\x00").decode(), "isBase64Encoded": True}
    )

    assert (response.status, response.body, response.headers) == (201, b"\x00", [("set-cookie", "a=1")])


@pytest.mark.parametrize(
    ("result", "failed"),
    [
        (None, set()),
        ({"batchItemFailures": []}, set()),
        ({"batchItemFailures": [{"itemIdentifier": "b"}]}, {"b"}),
        ({"batchItemFailures": [{"itemIdentifier": "zzz"}]}, None),
        ({"batchItemFailures": [{"itemIdentifier": ""}]}, None),
    ],
)
def test_partial_batch_responses_like_lambda(result: object, failed: set[str] | None) -> None:
    assert batch_item_failures(result, ["a", "b"]) == failed


def test_globals_merge_maps_add_lists_and_replace_scalars() -> None:
    merged = merge(
        {"Timeout": 3, "Layers": ["a"], "Environment": {"Variables": {"A": "1"}}},
        {"Timeout": 9, "Layers": ["b"], "Environment": {"Variables": {"B": "2"}}},
    )

    assert merged == {"Timeout": 9, "Layers": ["a", "b"], "Environment": {"Variables": {"A": "1", "B": "2"}}}
