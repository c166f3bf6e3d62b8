"""The verification's two Cognito test users, created through the admin API of the stack's own pool.

Each run creates its users under fresh names with random passwords that exist only in this process, signs them in
with ADMIN_USER_PASSWORD_AUTH (the template's app client allows that flow: it needs IAM credentials) and deletes them
at the end, whatever happened.
"""

from __future__ import annotations

import secrets
import sys
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from verify.errors import VerifyError
from verify.session import OTHER, USER

EMAIL_DOMAIN = "example.com"


def random_password() -> str:
    """Long, random, and with every class a password policy may ask for."""
    return f"{secrets.token_urlsafe(24)}-aZ9!"


class TestUsers:
    """Creates the users on first use; delete() removes those it created."""

    def __init__(self, cognito: Any, pool_id: str, client_id: str) -> None:
        self.cognito, self.pool_id, self.client_id = cognito, pool_id, client_id
        self.run = secrets.token_hex(4)
        self.created: list[str] = []
        self.by_email = False

    def check(self) -> None:
        """The pool exists and the caller may administer it: before anything is created."""
        try:
            pool = self.cognito.describe_user_pool(UserPoolId=self.pool_id)["UserPool"]
        except (ClientError, BotoCoreError) as error:
            raise VerifyError(f"user pool {self.pool_id} cannot be administered by the caller: {error}") from None
        self.by_email = "email" in pool.get("UsernameAttributes", [])

    def _create(self, role: str) -> tuple[str, list[dict[str, str]]]:
        name = f"verify-{role}-{self.run}"
        if not self.by_email:
            return name, []
        email = f"{name}@{EMAIL_DOMAIN}"
        return email, [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]

    def token(self, role: str) -> str:
        username, attributes = self._create(role)
        self.cognito.admin_create_user(
            UserPoolId=self.pool_id, Username=username, UserAttributes=attributes, MessageAction="SUPPRESS"
        )
        self.created.append(username)
        password = random_password()
        self.cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username=username, Password=password, Permanent=True
        )
        result = self.cognito.admin_initiate_auth(
            UserPoolId=self.pool_id,
            ClientId=self.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return str(result["AuthenticationResult"]["AccessToken"])

    def tokens(self) -> dict[str, str]:
        try:
            return {USER: self.token(USER), OTHER: self.token(OTHER)}
        except (ClientError, BotoCoreError) as error:
            raise VerifyError(f"test users in {self.pool_id} could not sign in: {error}") from None

    def delete(self) -> None:
        for username in self.created:
            try:
                self.cognito.admin_delete_user(UserPoolId=self.pool_id, Username=username)
            except (ClientError, BotoCoreError) as error:
                print(f"verify: test user {username} not deleted: {error}", file=sys.stderr)
        self.created.clear()
