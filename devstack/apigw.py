"""HTTP <-> API Gateway HTTP API payload format 2.0, as the real integration builds and reads it."""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request

from devstack.template import ACCOUNT_ID
from devstack.tracing.ids import TRACE_HEADER, gateway_trace_header

# Bodies of these types reach the function as text; anything else is base64, like API Gateway's binary handling.
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript", "+json", "+xml")
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _is_text(content_type: str) -> bool:
    return any(marker in content_type for marker in _TEXT_TYPES) or content_type.startswith(_FORM)


def _headers(request: Request) -> dict[str, str]:
    # API Gateway lower-cases names and joins repeated headers with commas.
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        key = name.lower()
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    return headers


def _body(request: Request) -> dict[str, Any]:
    data = request.get_data()
    if not data:
        return {"isBase64Encoded": False}
    if _is_text(request.content_type or ""):
        try:
            return {"body": data.decode("utf-8"), "isBase64Encoded": False}
        except UnicodeDecodeError:
            pass
    return {"body": base64.b64encode(data).decode("ascii"), "isBase64Encoded": True}


def claim_text(value: Any) -> str:
    """Claims reach the function as strings: arrays as "[a b]", as the HTTP API JWT authorizer passes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(claim_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)


def jwt_authorizer_context(claims: dict[str, Any]) -> dict[str, Any]:
    scope = claims.get("scope")
    return {
        "jwt": {
            "claims": {name: claim_text(value) for name, value in claims.items()},
            "scopes": scope.split() if isinstance(scope, str) else None,
        }
    }


def request_event(
    request: Request,
    *,
    route_key: str,
    api_id: str,
    path_parameters: dict[str, str],
    authorizer: dict[str, Any] | None,
) -> dict[str, Any]:
    headers = _headers(request)
    # HTTP APIs pass the caller's trace header on, or start a trace: the function's segment joins it.
    headers[TRACE_HEADER] = gateway_trace_header(headers.get(TRACE_HEADER))
    cookie = headers.pop("cookie", None)
    now = time.time()
    host = headers.get("host", "localhost")
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode("latin-1"),
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": api_id,
            "domainName": host,
            "domainPrefix": host.split(".")[0],
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        **_body(request),
    }
    if cookie:
        event["cookies"] = [part.strip() for part in cookie.split(";") if part.strip()]
    if request.args:
        event["queryStringParameters"] = {key: ",".join(request.args.getlist(key)) for key in request.args}
    if path_parameters:
        event["pathParameters"] = path_parameters
    if authorizer is not None:
        event["requestContext"]["authorizer"] = authorizer
    return event


def _response_headers(result: dict[str, Any]) -> list[tuple[str, str]]:
    headers = [(str(name), str(value)) for name, value in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((str(name), str(value)) for value in values)
    return headers + [("set-cookie", str(cookie)) for cookie in result.get("cookies") or []]


def _structured_response(result: dict[str, Any]) -> HttpResponse:
    headers = _response_headers(result)
    body = result.get("body") or ""
    if not isinstance(body, str):
        raise TypeError("the response body must be a string")
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")
    return HttpResponse(int(result["statusCode"]), headers, raw)


def http_response(result: Any) -> HttpResponse:
    """A v2 response; anything without statusCode is JSON for a 200, as the 2.0 format infers."""
    if isinstance(result, dict) and "statusCode" in result:
        return _structured_response(result)
    return HttpResponse(200, [("content-type", "application/json")], json.dumps(result).encode("utf-8"))


def message_response(status: int, message: str, headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    """API Gateway's own answers: {"message": "Unauthorized"}, {"message": "Not Found"}, ..."""
    body = json.dumps({"message": message}, separators=(",", ":")).encode("utf-8")
    return HttpResponse(status, [("content-type", "application/json"), *(headers or [])], body)
