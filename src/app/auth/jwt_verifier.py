"""Verifies a bearer token exactly as an HTTP API JWT authorizer does, for the two places that have no gateway.

- `sam local start-api` skips HTTP API JWT authorizers, so under it (and only there: the template gives the API
  functions an issuer only when LocalAwsEndpointUrl is set) the API functions verify the token themselves;
- the local stack (devstack/authorizer.py) emulates the authorizer in front of every route with it.

Checks, in API Gateway's order: the signature (RS256) against the issuer's JWKS (refetched once when a token names
an unknown `kid`, as after a key rotation), `iss`, `aud` (ID tokens) or `client_id` (Cognito access tokens),
`exp`, `nbf`, `iat`, `token_use` and the route's authorization scopes.

Imported only when used: a deployed function never loads it (nor joserfc and cryptography). joserfc is a runtime
dependency for that reason rather than a dev one: under sam local this module runs inside the Lambda package.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

_TOKEN_USES = ("access", "id")
_FETCH_TIMEOUT_SECONDS = 5


class UnauthorizedError(Exception):
    """401 {"message":"Unauthorized"}; the text says why, for the log line."""


class ForbiddenError(Exception):
    """403 {"message":"Forbidden"}: a valid token without any of the route's authorization scopes."""


def fetch_json(url: str, headers: Mapping[str, str] | None = None) -> Any:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not an HTTP URL: {url}")
    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310 - scheme checked above
    with urllib.request.urlopen(request, timeout=_FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
        return json.load(response)


def discovered_jwks_url(issuer: str) -> str:
    """The issuer's keys as its OpenID discovery document names them (what API Gateway reads)."""
    return str(fetch_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration")["jwks_uri"])


def bearer_token(value: str) -> str:
    """HTTP API JWT authorizers accept "Bearer <token>" and the raw token alike."""
    scheme, _, rest = value.strip().partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else value.strip()
    if not token:
        raise UnauthorizedError("no identity source")
    return token


def _audience_ok(claims: Mapping[str, Any], audience: tuple[str, ...]) -> bool:
    # Like API Gateway: `aud` when the token has one (ID tokens), else `client_id` (Cognito access tokens).
    if "aud" in claims:
        token_audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        return any(value in audience for value in token_audience)
    return claims.get("client_id") in audience


def check_claims(claims: Mapping[str, Any], *, issuer: str, audience: tuple[str, ...], now: float) -> None:
    if claims.get("iss") != issuer:
        raise UnauthorizedError(f"issuer {claims.get('iss')!r} is not {issuer!r}")
    if not _audience_ok(claims, audience):
        raise UnauthorizedError("audience and client_id do not match")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] <= now:
        raise UnauthorizedError("the token has expired")
    if claims.get("nbf", 0) > now or claims.get("iat", 0) > now:
        raise UnauthorizedError("the token is not valid yet")
    if "token_use" in claims and claims["token_use"] not in _TOKEN_USES:
        raise UnauthorizedError(f"token_use {claims['token_use']!r} is neither access nor id")


def check_scopes(claims: Mapping[str, Any], scopes: tuple[str, ...]) -> None:
    """A route with authorization scopes needs a token granting at least one of them."""
    granted = str(claims.get("scope", "")).split()
    if scopes and not any(scope in granted for scope in scopes):
        raise ForbiddenError("none of the route's authorization scopes")


@dataclass
class JwtVerifier:
    issuer: str
    audience: tuple[str, ...]
    jwks_url: str | None = None  # None: from the issuer's OpenID discovery document
    jwks_headers: Mapping[str, str] = field(default_factory=dict)
    _keys: KeySet | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _key_set(self, refresh: bool = False) -> KeySet:
        with self._lock:
            if self._keys is None or refresh:
                url = self.jwks_url or discovered_jwks_url(self.issuer)
                self._keys = KeySet.import_key_set(fetch_json(url, self.jwks_headers))
            return self._keys

    def _decode(self, raw: str) -> dict[str, Any]:
        try:
            keys = self._key_set()
            if extract_compact(raw.encode()).headers().get("kid") not in {key.kid for key in keys.keys}:
                keys = self._key_set(refresh=True)  # the issuer may have rotated its keys
            return dict(jwt.decode(raw, keys, algorithms=["RS256"]).claims)
        except (JoseError, ValueError, KeyError) as error:
            raise UnauthorizedError(f"invalid token: {type(error).__name__}") from error

    def verify(self, authorization: str, scopes: tuple[str, ...] = ()) -> dict[str, Any]:
        """The claims of the token in an Authorization header value, or UnauthorizedError / ForbiddenError."""
        claims = self._decode(bearer_token(authorization))
        check_claims(claims, issuer=self.issuer, audience=self.audience, now=time.time())
        check_scopes(claims, scopes)
        return claims
