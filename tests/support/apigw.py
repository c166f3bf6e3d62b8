"""API Gateway HTTP API (payload 2.0) events and Lambda contexts, shaped like the real ones."""

import base64
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode


def route_key(method: str, path: str) -> str:
    parts = path.strip("/").split("/")
    template = "/" + "/".join([*parts[:1], "{id}", *parts[2:]]) if len(parts) >= 2 else path
    return f"{method} {template}"


def http_event(
    method: str,
    path: str,
    *,
    owner: str | None = "alice",
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    raw_body: str | None = None,
    base64_body: bool = False,
) -> dict[str, Any]:
    """An event as HTTP API delivers it after the JWT authorizer accepted a token whose sub is `owner`."""
    text = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
    all_headers = {"content-type": "application/json", "host": "api.example.com"} | {
        name.lower(): value for name, value in (headers or {}).items()
    }
    parts = path.strip("/").split("/")
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key(method, path),
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "api.example.com",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "t"},
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key(method, path),
            "stage": "$default",
            "time": "28/Nov/2026:10:00:00 +0000",
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": base64_body,
    }
    if query:
        event["queryStringParameters"] = query
    if len(parts) >= 2:
        event["pathParameters"] = {"id": parts[1]}
    if text is not None:
        event["body"] = base64.b64encode(text.encode()).decode() if base64_body else text
    if owner is not None:
        event["requestContext"]["authorizer"] = {
            "jwt": {"claims": {"sub": owner, "token_use": "access"}, "scopes": None}
        }
    return event


@dataclass
class LambdaContext:
    function_name: str = "ItemsFunction"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:ItemsFunction"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    timeout_ms: int = 10_000

    def get_remaining_time_in_millis(self) -> int:
        return self.timeout_ms


def json_body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"]) if response.get("body") else None
