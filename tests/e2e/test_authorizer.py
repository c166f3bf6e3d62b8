"""The JWT authorizer of template.yaml, emulated by the local stack: what it lets through and what gets a 401."""

import time
from collections.abc import Callable

import pytest
import requests

from tests.e2e.localstack import Stack
from tests.e2e.tokens import cognito_claims, foreign_key, mint

pytestmark = [pytest.mark.e2e, pytest.mark.contract]
UNAUTHORIZED = {"message": "Unauthorized"}


def list_items(stack: Stack, authorization: str | None) -> requests.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    return requests.get(f"{stack.base_url}/items", headers=headers, timeout=10)


def assert_unauthorized(response: requests.Response) -> None:
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_missing_token_is_unauthorized(stack: Stack) -> None:
    assert_unauthorized(list_items(stack, None))


@pytest.mark.parametrize("authorization", ["Bearer", "Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwYXNz"])
def test_malformed_token_is_unauthorized(stack: Stack, authorization: str) -> None:
    assert_unauthorized(list_items(stack, authorization))


def test_token_signed_with_another_key_is_unauthorized(stack: Stack) -> None:
    forged = mint(cognito_claims(stack.outputs), key=foreign_key())

    assert_unauthorized(list_items(stack, f"Bearer {forged}"))


def test_expired_token_is_unauthorized(stack: Stack) -> None:
    now = int(time.time())
    expired = mint(cognito_claims(stack.outputs, iat=now - 3700, auth_time=now - 3700, exp=now - 100))

    assert_unauthorized(list_items(stack, f"Bearer {expired}"))


def test_access_token_of_another_client_is_unauthorized(stack: Stack) -> None:
    token = mint(cognito_claims(stack.outputs, client_id="another-client"))

    assert_unauthorized(list_items(stack, f"Bearer {token}"))


def test_id_token_for_another_audience_is_unauthorized(stack: Stack) -> None:
    token = mint(cognito_claims(stack.outputs, token_use="id", client_id=None, aud="another-client"))

    assert_unauthorized(list_items(stack, f"Bearer {token}"))


def test_token_of_another_issuer_is_unauthorized(stack: Stack) -> None:
    token = mint(cognito_claims(stack.outputs, iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"))

    assert_unauthorized(list_items(stack, f"Bearer {token}"))


def test_refresh_token_use_is_unauthorized(stack: Stack) -> None:
    assert_unauthorized(list_items(stack, f"Bearer {mint(cognito_claims(stack.outputs, token_use='refresh'))}"))


def test_token_not_valid_yet_is_unauthorized(stack: Stack) -> None:
    token = mint(cognito_claims(stack.outputs, nbf=int(time.time()) + 600))

    assert_unauthorized(list_items(stack, f"Bearer {token}"))


def test_token_of_a_local_user_reaches_the_function(stack: Stack, token_for: Callable[[str], str]) -> None:
    response = list_items(stack, f"Bearer {token_for('alice')}")

    assert response.status_code == 200


def test_token_without_bearer_prefix_is_accepted(stack: Stack, token_for: Callable[[str], str]) -> None:
    # HTTP API JWT authorizers accept the raw token as well as "Bearer <token>".
    assert list_items(stack, token_for("alice")).status_code == 200
