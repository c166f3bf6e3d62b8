"""The read-only smoke check after a production deployment: GET /health, and with --smoke-read an authenticated
GET /items of a test user created for it in the stack's own pool (it owns nothing, reads nothing, is deleted).

The read is opt-in: it needs the deploy role to administer the production pool's users (the pipeline stack's
AllowProdTestUser parameter), and a production pool with short-lived test accounts in it is the operator's call.
"""

from __future__ import annotations

import requests
from botocore.exceptions import BotoCoreError, ClientError

from verify.errors import VerifyError
from verify.session import USER
from verify.target import Target
from verify.users import TestUsers


def authenticated_read(found: Target) -> int:
    if found.cognito is None:
        raise VerifyError(f"{found.name} has no user pool of its own (outputs UserPoolId): no test user to read with")
    users = TestUsers(found.cognito, found.outputs["UserPoolId"], found.outputs["UserPoolClientId"])
    users.check()
    try:
        token = users.token(USER)
        headers = {"Authorization": f"Bearer {token}"}
        return requests.get(f"{found.base_url}/items", params={"limit": 1}, headers=headers, timeout=30).status_code
    except (ClientError, BotoCoreError) as error:
        raise VerifyError(f"the smoke test user in {users.pool_id} could not sign in: {error}") from None
    finally:
        users.delete()


def run(found: Target, *, read: bool) -> tuple[bool, str]:
    """GET /health answered 200 already (target.require); the line, and whether the read (if any) succeeded."""
    if not read:
        return True, "smoke: passed, GET /health 200 (no authenticated read: --smoke-read not given)"
    status = authenticated_read(found)
    if status == 200:
        return True, "smoke: passed, GET /health 200, GET /items 200 as a test user"
    return False, f"smoke: FAILED, GET /items -> {status} as a test user"
