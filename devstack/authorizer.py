"""The HTTP API JWT authorizer of the template in front of each route, verifying with app.auth.jwt_verifier.

The verifier lives under src/app because it also runs inside the Lambda package (sam local skips JWT authorizers,
so the API functions verify tokens themselves there); the local stack imports it from there, never the reverse.

For a Cognito issuer the keys come from the local Cognito (moto serves them at <endpoint>/<pool>/.well-known/
jwks.json). Moto signs tokens with `iss` = https://cognito-idp.<region>.amazonaws.com/<pool>, exactly the issuer
the template declares, so the issuer is compared as is, with no local rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.auth.jwt_verifier import ForbiddenError, JwtVerifier, UnauthorizedError

__all__ = ["ForbiddenError", "JwtAuthorizer", "UnauthorizedError", "cognito_jwks_url"]

_COGNITO_ISSUER = re.compile(r"^https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/(?P<pool>[\w-]+)$")


def cognito_jwks_url(issuer: str, endpoint: str | None) -> str | None:
    """The local Cognito's JWKS for a Cognito issuer; None (OpenID discovery from the issuer) otherwise."""
    cognito = _COGNITO_ISSUER.match(issuer)
    if cognito is None or not endpoint:
        return None
    return f"{endpoint.rstrip('/')}/{cognito.group('pool')}/.well-known/jwks.json"


@dataclass
class JwtAuthorizer:
    identity_header: str  # from IdentitySource $request.header.Authorization
    verifier: JwtVerifier

    @classmethod
    def from_configuration(cls, authorizer: Mapping[str, Any], endpoint: str | None) -> JwtAuthorizer:
        jwt_configuration = authorizer.get("JwtConfiguration", {})
        source = str(authorizer.get("IdentitySource", "$request.header.Authorization")).split(",")[0].strip()
        issuer = str(jwt_configuration.get("issuer", ""))
        verifier = JwtVerifier(
            issuer=issuer,
            audience=tuple(str(value) for value in jwt_configuration.get("audience", [])),
            jwks_url=cognito_jwks_url(issuer, endpoint),
        )
        return cls(identity_header=source.removeprefix("$request.header.").lower(), verifier=verifier)

    def authorize(self, headers: Mapping[str, str], scopes: tuple[str, ...] = ()) -> dict[str, Any]:
        """The token's claims, or UnauthorizedError/ForbiddenError as API Gateway would answer."""
        value = headers.get(self.identity_header, "")
        if not value.strip():
            raise UnauthorizedError("no identity source")
        return self.verifier.verify(value, scopes)
