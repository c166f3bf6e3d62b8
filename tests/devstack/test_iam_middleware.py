"""The IAM middleware (devstack/iam/middleware.py): a function's key is held to its role, the stack's is not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from devstack.iam.middleware import REGISTRATION_PATH, IamEnforcer

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/items"
ROLE = {
    "function": "ReadFunction",
    "function_name": "items-local-ReadFunction",
    "role_name": "items-local-ReadFunctionRole",
    "access_key_id": "LOCALReadFunction",
    "documents": [
        ["ReadPolicy", {"Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": TABLE}]}]
    ],
}


def moto(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0")])
    return [b'{"reached": "moto"}']


def call(client: Client, key: str, operation: str) -> Any:
    authorization = f"AWS4-HMAC-SHA256 Credential={key}/20261206/us-east-1/dynamodb/aws4_request, Signature=x"
    headers = {"Authorization": authorization, "X-Amz-Target": f"DynamoDB_20120810.{operation}"}
    return client.post("/", data=json.dumps({"TableName": "items"}), headers=headers)


def enforcer(tmp_path: Path) -> Client:
    client = Client(IamEnforcer(moto))
    client.post(REGISTRATION_PATH, data=json.dumps({"usage": str(tmp_path / "usage.jsonl"), "roles": [ROLE]}))
    return client


def test_a_call_the_role_does_not_allow_is_refused_as_dynamodb_refuses_it(tmp_path: Path) -> None:
    response = call(enforcer(tmp_path), "LOCALReadFunction", "PutItem")

    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "AccessDeniedException"
    assert json.loads(response.data)["message"] == (
        "User: arn:aws:sts::123456789012:assumed-role/items-local-ReadFunctionRole/items-local-ReadFunction is not "
        f"authorized to perform: dynamodb:PutItem on resource: {TABLE} because no identity-based policy allows the "
        "dynamodb:PutItem action"
    )


def test_an_allowed_call_reaches_moto_and_is_recorded(tmp_path: Path) -> None:
    response = call(enforcer(tmp_path), "LOCALReadFunction", "GetItem")

    assert json.loads(response.data) == {"reached": "moto"}
    recorded = [json.loads(line) for line in (tmp_path / "usage.jsonl").read_text().splitlines()]
    assert recorded == [
        {"function": "ReadFunction", "action": "dynamodb:GetItem", "resource": TABLE, "statement": "ReadPolicy#0"}
    ]


def test_the_stacks_own_credentials_are_not_restricted(tmp_path: Path) -> None:
    assert call(enforcer(tmp_path), "testing", "DeleteTable").data == b'{"reached": "moto"}'
