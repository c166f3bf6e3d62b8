"""The one JWT verifier (sam local's API functions and the local stack's authorizer): what API Gateway checks."""

import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from app.auth import jwt_verifier
from app.auth.jwt_verifier import ForbiddenError, JwtVerifier, UnauthorizedError, bearer_token, check_claims

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool"
JWKS_URL = "http://moto.local/us-east-1_pool/.well-known/jwks.json"
KEY = RSAKey.generate_key(2048, parameters={"kid": "current"})
CLAIMS = {"iss": ISSUER, "client_id": "client", "token_use": "access", "scope": "items/read", "sub": "alice"}


def mint(key: RSAKey = KEY, **overrides: Any) -> str:
    now = int(time.time())
    claims = {**CLAIMS, "iat": now, "exp": now + 600, **overrides}
    return jwt.encode({"alg": "RS256", "kid": key.kid}, {k: v for k, v in claims.items() if v is not None}, key)


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The issuer publishes KEY at JWKS_URL; returns the URLs fetched."""
    fetched: list[str] = []

    def fetch_json(url: str, headers: Any = None) -> Any:
        fetched.append(url)
        return KeySet([KEY]).as_dict(private=False)

    monkeypatch.setattr(jwt_verifier, "fetch_json", fetch_json)
    return fetched


def verifier() -> JwtVerifier:
    return JwtVerifier(issuer=ISSUER, audience=("client",), jwks_url=JWKS_URL)


def test_a_valid_token_gives_its_claims(published: list[str]) -> None:
    claims = verifier().verify(f"Bearer {mint()}")

    assert claims["sub"] == "alice"
    assert published == [JWKS_URL]


def test_keys_are_fetched_once_then_again_for_an_unknown_kid(published: list[str]) -> None:
    checker = verifier()
    checker.verify(mint())
    checker.verify(mint())

    with pytest.raises(UnauthorizedError):
        checker.verify(mint(RSAKey.generate_key(2048, parameters={"kid": "rotated"})))
    assert published == [JWKS_URL, JWKS_URL]


@pytest.mark.parametrize(
    "token",
    [
        mint(RSAKey.generate_key(2048, parameters={"kid": "current"})),  # another key under the same kid
        mint(iss="https://cognito-idp.us-east-1.amazonaws.com/other"),
        mint(client_id="another-client"),
        mint(client_id=None, aud="another-client", token_use="id"),
        mint(exp=int(time.time()) - 5),
        mint(nbf=int(time.time()) + 600),
        mint(token_use="refresh"),
        "a.b.c",
        "not-a-jwt",
    ],
    ids=["foreign-key", "issuer", "client-id", "audience", "expired", "not-yet", "token-use", "garbage", "opaque"],
)
def test_what_the_authorizer_refuses_is_refused(published: list[str], token: str) -> None:
    with pytest.raises(UnauthorizedError):
        verifier().verify(f"Bearer {token}")


def test_an_id_token_is_checked_on_its_audience(published: list[str]) -> None:
    assert verifier().verify(mint(client_id=None, aud="client", token_use="id"))["sub"] == "alice"


def test_route_scopes_need_one_granted_scope(published: list[str]) -> None:
    assert verifier().verify(mint(), scopes=("items/write", "items/read"))["sub"] == "alice"
    with pytest.raises(ForbiddenError):
        verifier().verify(mint(), scopes=("items/write",))


@pytest.mark.parametrize("value", ["", "Bearer", "Bearer   ", "  "])
def test_an_empty_identity_source_is_unauthorized(value: str) -> None:
    with pytest.raises(UnauthorizedError):
        bearer_token(value)


def test_raw_tokens_and_bearer_tokens_alike() -> None:
    assert bearer_token("bearer abc") == bearer_token("Bearer abc") == bearer_token(" abc ") == "abc"


def test_without_a_jwks_url_the_keys_come_from_openid_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = {
        f"{ISSUER}/.well-known/openid-configuration": {"jwks_uri": "https://keys.example/jwks"},
        "https://keys.example/jwks": KeySet([KEY]).as_dict(private=False),
    }
    monkeypatch.setattr(jwt_verifier, "fetch_json", lambda url, headers=None: documents[url])

    assert JwtVerifier(issuer=ISSUER, audience=("client",)).verify(mint())["sub"] == "alice"


def test_claims_checks_on_their_own() -> None:
    claims = {**CLAIMS, "exp": time.time() + 60}

    check_claims(claims, issuer=ISSUER, audience=("client",), now=time.time())
    with pytest.raises(UnauthorizedError):
        check_claims({**claims, "iat": time.time() + 600}, issuer=ISSUER, audience=("client",), now=time.time())
