"""Under sam local (no authorizer context, LOCAL_JWT_* set by the template) the API verifies the token itself;
anywhere else a request without claims gets API Gateway's 401. Deployed functions never load the verifier."""

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from joserfc.jwk import KeySet

from app.api import dependencies
from app.auth import jwt_verifier
from app.settings import get_settings
from tests.unit.auth.test_jwt_verifier import ISSUER, JWKS_URL, KEY, mint
from tests.unit.conftest import API_ENVIRONMENT

Call = Callable[..., dict[str, Any]]
UNAUTHORIZED = {"message": "Unauthorized"}
SRC = Path(__file__).resolve().parents[3] / "src"


@pytest.fixture
def sam_local(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The variables the template gives the API functions when LocalAwsEndpointUrl is set; KEY published."""
    monkeypatch.setenv("LOCAL_JWT_ISSUER", ISSUER)
    monkeypatch.setenv("LOCAL_JWT_AUDIENCE", "client")
    monkeypatch.setenv("LOCAL_JWKS_URL", JWKS_URL)
    monkeypatch.setattr(jwt_verifier, "fetch_json", lambda url, headers=None: KeySet([KEY]).as_dict(private=False))
    get_settings.cache_clear()
    dependencies._local_verifier.cache_clear()
    yield
    get_settings.cache_clear()
    dependencies._local_verifier.cache_clear()


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


@pytest.mark.usefixtures("sam_local")
def test_under_sam_local_a_valid_token_reaches_the_route_as_its_owner(call: Call) -> None:
    created = call("POST", "/items", owner=None, body={"name": "Lamp"}, headers={"Authorization": f"Bearer {mint()}"})

    assert created["statusCode"] == 201
    listed = call("GET", "/items", owner="alice")
    assert [item["name"] for item in body(listed)["items"]] == ["Lamp"]


@pytest.mark.usefixtures("sam_local")
@pytest.mark.parametrize("authorization", [None, "Bearer", f"Bearer {mint(client_id='other')}", "Basic dTpw"])
def test_under_sam_local_a_missing_or_invalid_token_gets_the_gateway_401(call: Call, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    response = call("GET", "/items", owner=None, headers=headers)

    assert response["statusCode"] == 401
    assert body(response) == UNAUTHORIZED


def test_deployed_a_request_without_claims_is_never_verified_here(call: Call) -> None:
    # Given no LOCAL_JWT_* variables (every deployed stack): even a valid token is not looked at
    get_settings.cache_clear()

    response = call("GET", "/items", owner=None, headers={"Authorization": f"Bearer {mint()}"})

    assert response["statusCode"] == 401
    assert body(response) == UNAUTHORIZED


def test_the_api_handler_does_not_import_the_verifier_when_deployed() -> None:
    # A fresh interpreter with a deployed function's environment: cold start, then a request without claims.
    script = (
        "import sys, json\n"
        "from app.handlers.api import handler\n"
        "from tests.support.apigw import LambdaContext, http_event\n"
        "cold = sorted(m for m in sys.modules if m.startswith(('app.auth', 'joserfc', 'cryptography')))\n"
        "status = handler(http_event('GET', '/items', owner=None), LambdaContext())['statusCode']\n"
        "warm = sorted(m for m in sys.modules if m.startswith(('app.auth', 'joserfc', 'cryptography')))\n"
        "print(json.dumps([cold, status, warm]))\n"
    )
    environment = {**API_ENVIRONMENT, "PATH": os.environ["PATH"], "PYTHONPATH": f"{SRC}{os.pathsep}{SRC.parent}"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True, timeout=120
    )

    cold, status, warm = json.loads(result.stdout.strip().splitlines()[-1])
    assert (cold, status, warm) == ([], 401, [])
