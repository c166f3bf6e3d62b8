"""What a request asks of IAM: the action(s) and resource ARN(s) AWS authorizes it against, per service.

JSON protocols name the operation in X-Amz-Target (DynamoDB, DynamoDB Streams, SQS, Secrets Manager, Cognito);
SQS's query protocol in its Action parameter; S3 (devstack/iam/s3calls.py) in the method, path and query. Batch
and transaction operations are authorized per item as AWS does: TransactWriteItems needs each item's own action on
its table, SendMessageBatch needs sqs:SendMessage. A request this module cannot map is refused (UnmappedCallError).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

ACCOUNT_ID = "123456789012"  # devstack.template.ACCOUNT_ID, the account moto serves by default


class UnmappedCallError(ValueError):
    """A request whose action or resource the local stack cannot tell: refused rather than let through."""


@dataclass(frozen=True)
class Call:
    action: str
    resource: str


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    service: str  # the SigV4 signing name: dynamodb, sqs, s3, secretsmanager, cognito-idp
    region: str
    secret_arn: Callable[[str, str], str] | None = None  # a secret's ARN from its name, where names are known

    def json(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body or b"{}")
        return parsed

    def operation(self) -> str:
        target = self.headers.get("x-amz-target", "")
        if target:
            return target.rsplit(".", 1)[-1]
        form = parse_qs(self.body.decode("utf-8", "replace")) if self.method == "POST" else {}
        action = (self.query.get("Action") or form.get("Action") or [""])[0]
        if not action:
            raise UnmappedCallError(f"{self.service} request with no X-Amz-Target or Action")
        return action

    def parameters(self) -> dict[str, Any]:
        if self.headers.get("x-amz-target"):
            return self.json()
        form = parse_qs(self.body.decode("utf-8", "replace")) if self.method == "POST" else {}
        return {key: values[0] for key, values in {**self.query, **form}.items()}


def _table_arn(request: Request, table: str) -> str:
    return table if table.startswith("arn:") else f"arn:aws:dynamodb:{request.region}:{ACCOUNT_ID}:table/{table}"


_TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


def _dynamodb_items(operation: str, request: Request, body: dict[str, Any]) -> list[Call]:
    if operation in ("TransactWriteItems", "TransactGetItems"):
        calls = []
        for item in body.get("TransactItems", []):
            ((kind, detail),) = item.items()
            action = "GetItem" if kind == "Get" else _TRANSACT_ACTIONS[kind]
            calls.append(Call(f"dynamodb:{action}", _table_arn(request, detail["TableName"])))
        return calls
    return [Call(f"dynamodb:{operation}", _table_arn(request, table)) for table in body.get("RequestItems", {})]


def dynamodb_calls(request: Request) -> list[Call]:
    operation, body = request.operation(), request.json()
    if operation.startswith(("Transact", "Batch")):
        return _dynamodb_items(operation, request, body)
    if operation.startswith(("ExecuteStatement", "ExecuteTransaction", "BatchExecute")):
        raise UnmappedCallError(f"dynamodb:{operation} (PartiQL) is not mapped to its per-statement actions locally")
    if "StreamArn" in body:
        return [Call(f"dynamodb:{operation}", body["StreamArn"])]
    if "ShardIterator" in body:  # moto's iterators, like DynamoDB's, begin with the stream's ARN
        return [Call(f"dynamodb:{operation}", str(body["ShardIterator"]).split("|", 1)[0])]
    if "TableName" not in body:
        return [Call(f"dynamodb:{operation}", "*")]
    resource = _table_arn(request, body["TableName"])
    if operation == "ListStreams":
        resource += "/stream/*"
    elif body.get("IndexName"):
        resource += f"/index/{body['IndexName']}"
    return [Call(f"dynamodb:{operation}", resource)]


_SQS_BATCHES = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage"}
_SQS_BATCHES["ChangeMessageVisibilityBatch"] = "ChangeMessageVisibility"


def sqs_calls(request: Request) -> list[Call]:
    operation, parameters = request.operation(), request.parameters()
    action = f"sqs:{_SQS_BATCHES.get(operation, operation)}"
    if "QueueUrl" in parameters:
        account, name = urlparse(str(parameters["QueueUrl"])).path.strip("/").split("/")[-2:]
        return [Call(action, f"arn:aws:sqs:{request.region}:{account}:{name}")]
    if "QueueName" in parameters:
        return [Call(action, f"arn:aws:sqs:{request.region}:{ACCOUNT_ID}:{parameters['QueueName']}")]
    return [Call(action, "*")]


def secretsmanager_calls(request: Request) -> list[Call]:
    operation, body = request.operation(), request.json()
    secret = body.get("SecretId") or body.get("Name")
    if secret is None:
        return [Call(f"secretsmanager:{operation}", "*")]
    arn = str(secret)
    if not arn.startswith("arn:"):
        named = f"arn:aws:secretsmanager:{request.region}:{ACCOUNT_ID}:secret:{arn}"
        arn = request.secret_arn(arn, request.region) if request.secret_arn else named
    return [Call(f"secretsmanager:{operation}", arn)]


def cognito_calls(request: Request) -> list[Call]:
    operation, body = request.operation(), request.json()
    pool = body.get("UserPoolId")
    resource = f"arn:aws:cognito-idp:{request.region}:{ACCOUNT_ID}:userpool/{pool}" if pool else "*"
    return [Call(f"cognito-idp:{operation}", resource)]
