"""Tokens minted by the tests, to check what the JWT authorizer rejects.

Moto signs Cognito tokens with one fixed RSA key shipped in the package (kid "dummy"); reading it lets a test mint
tokens the local Cognito could have issued, expired or for another audience, with a valid signature.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey
from moto.utilities.utils import load_resource

MOTO_KEY_ID = "dummy"


def moto_signing_key() -> RSAKey:
    return RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))


def foreign_key() -> RSAKey:
    return RSAKey.generate_key(2048)


def cognito_claims(outputs: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": f"https://cognito-idp.{outputs['Region']}.amazonaws.com/{outputs['UserPoolId']}",
        "sub": str(uuid.uuid4()),
        "client_id": outputs["UserPoolClientId"],
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "iat": now,
        "auth_time": now,
        "exp": now + 3600,
        "jti": str(uuid.uuid4()),
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def mint(claims: dict[str, Any], key: RSAKey | None = None, key_id: str = MOTO_KEY_ID) -> str:
    return jwt.encode({"alg": "RS256", "kid": key_id}, claims, key or moto_signing_key())
