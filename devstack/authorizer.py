"""The HTTP API JWT authorizer: signature against the issuer's JWKS, then iss, aud/client_id, exp, nbf, iat, scopes.

For a Cognito issuer the keys come from the local Cognito (moto serves them at <endpoint>/<pool>/.well-known/
jwks.json). Moto signs tokens with `iss` = https://cognito-idp.<region>.amazonaws.com/<pool>, exactly the issuer
the template declares, so the issuer is compared as is, with no local rewrite.
"""

from __future__ import annotations

import json
import re
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

_COGNITO_ISSUER = re.compile(r"^https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/(?P<pool>[\w-]+)$")
# Moto answers the JWKS path only when the request looks like a signed cognito-idp call.
_MOTO_COGNITO_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/cognito-idp/aws4_request"
_TOKEN_USES = ("access", "id")


class UnauthorizedError(Exception):
    """401 {"message":"Unauthorized"}; the text says why, for the log line."""


class ForbiddenError(Exception):
    """403 {"message":"Forbidden"}: a valid token without any of the route's AuthorizationScopes."""


def _get_json(url: str, headers: Mapping[str, str]) -> Any:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not an HTTP URL: {url}")
    request = urllib.request.Request(url, headers=dict(headers))  # noqa: S310 - scheme checked above
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return json.load(response)


def jwks_location(issuer: str, endpoint: str | None) -> tuple[str, dict[str, str]]:
    """Where the issuer's keys are: the local Cognito for a Cognito issuer, else the issuer's OIDC discovery."""
    cognito = _COGNITO_ISSUER.match(issuer)
    if cognito is not None and endpoint:
        url = f"{endpoint.rstrip('/')}/{cognito.group('pool')}/.well-known/jwks.json"
        return url, {"Authorization": _MOTO_COGNITO_AUTHORIZATION}
    discovery = _get_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration", {})
    return str(discovery["jwks_uri"]), {}


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


@dataclass
class JwtAuthorizer:
    issuer: str
    audience: tuple[str, ...]
    identity_header: str  # from IdentitySource $request.header.Authorization
    endpoint: str | None  # the AWS endpoint that hosts the local Cognito
    _keys: KeySet | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_configuration(cls, authorizer: Mapping[str, Any], endpoint: str | None) -> JwtAuthorizer:
        jwt_configuration = authorizer.get("JwtConfiguration", {})
        source = str(authorizer.get("IdentitySource", "$request.header.Authorization")).split(",")[0].strip()
        return cls(
            issuer=str(jwt_configuration.get("issuer", "")),
            audience=tuple(str(value) for value in jwt_configuration.get("audience", [])),
            identity_header=source.removeprefix("$request.header.").lower(),
            endpoint=endpoint,
        )

    def _key_set(self, refresh: bool = False) -> KeySet:
        with self._lock:
            if self._keys is None or refresh:
                url, headers = jwks_location(self.issuer, self.endpoint)
                self._keys = KeySet.import_key_set(_get_json(url, headers))
            return self._keys

    def _decode(self, raw: str) -> dict[str, Any]:
        try:
            keys = self._key_set()
            if extract_compact(raw.encode()).headers().get("kid") not in {k.kid for k in keys.keys}:
                keys = self._key_set(refresh=True)  # the issuer may have rotated its keys
            return dict(jwt.decode(raw, keys, algorithms=["RS256"]).claims)
        except (JoseError, ValueError, KeyError) as error:
            raise UnauthorizedError(f"invalid token: {type(error).__name__}") from error

    def authorize(self, headers: Mapping[str, str], scopes: tuple[str, ...] = ()) -> dict[str, Any]:
        """The token's claims, or UnauthorizedError/ForbiddenError as API Gateway would answer."""
        value = headers.get(self.identity_header, "").strip()
        if not value:
            raise UnauthorizedError("no identity source")
        raw = value[7:].strip() if value[:7].lower() == "bearer " else value
        claims = self._decode(raw)
        check_claims(claims, issuer=self.issuer, audience=self.audience, now=time.time())
        granted = str(claims.get("scope", "")).split()
        if scopes and not any(scope in granted for scope in scopes):
            raise ForbiddenError("none of the route's authorization scopes")
        return claims
