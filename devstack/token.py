"""`python -m devstack.token alice`: a bearer token for a local user, created in the local Cognito pool on first use.

The token is the last line on stdout (TOKEN=$(python -m devstack.token alice) works); notes go to stderr. Pool,
client and endpoint come from the outputs the running local stack wrote (.aws-sam/local/outputs.json).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3

from devstack.outputs import DEFAULT_OUTPUTS, DUMMY_CREDENTIALS, read_outputs

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_cognito_idp.type_defs import AttributeTypeTypeDef

EMAIL_DOMAIN = "example.com"


def local_password(username: str) -> str:
    """A password meeting any Cognito policy (length, cases, digit, symbol), the same for a user on every run."""
    return f"Local-{hashlib.sha256(username.encode()).hexdigest()[:16]}-9aZ!"


def cognito_client(outputs: Mapping[str, Any]) -> CognitoIdentityProviderClient:
    return boto3.client(
        "cognito-idp",
        endpoint_url=outputs["AwsEndpointUrl"],
        region_name=outputs["Region"],
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def _username(client: CognitoIdentityProviderClient, pool_id: str, user: str) -> tuple[str, list[AttributeTypeTypeDef]]:
    """Pools that sign in by email need an email as username: alice becomes alice@example.com."""
    pool = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    if "email" not in pool.get("UsernameAttributes", []):
        return user, []
    email = user if "@" in user else f"{user}@{EMAIL_DOMAIN}"
    return email, [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]


def token_for(user: str, outputs: Mapping[str, Any], *, id_token: bool = False) -> str:
    client = cognito_client(outputs)
    pool_id, client_id = outputs["UserPoolId"], outputs["UserPoolClientId"]
    username, attributes = _username(client, pool_id, user)
    try:
        client.admin_get_user(UserPoolId=pool_id, Username=username)
    except client.exceptions.UserNotFoundException:
        client.admin_create_user(
            UserPoolId=pool_id, Username=username, UserAttributes=attributes, MessageAction="SUPPRESS"
        )
        print(f"created user {username} in {pool_id}", file=sys.stderr)
    password = local_password(username)
    client.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    result = client.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]
    return result["IdToken"] if id_token else result["AccessToken"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.token", description=__doc__)
    parser.add_argument("user", help="local user name, e.g. alice (alice@example.com in an email pool)")
    parser.add_argument("--outputs", type=Path, default=DEFAULT_OUTPUTS)
    parser.add_argument("--id-token", action="store_true", help="print the ID token instead of the access token")
    args = parser.parse_args(argv)
    outputs = read_outputs(args.outputs)
    if "UserPoolId" not in outputs or "UserPoolClientId" not in outputs:
        raise SystemExit("the outputs have no UserPoolId/UserPoolClientId: is the stack using its own issuer?")
    print(token_for(args.user, outputs, id_token=args.id_token))
    return 0


if __name__ == "__main__":
    sys.exit(main())
