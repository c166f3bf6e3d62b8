"""WSGI middleware in front of moto: each function's calls authorized against its own role, as AWS would.

A request signed with a function's access key (devstack.iam.roles.access_key_of) is mapped to its action(s) and
resource(s) (devstack/iam/calls.py, s3calls.py) and evaluated against the function's policies; a refusal is
answered as the service answers it (AccessDeniedException, 400, in JSON protocols; AccessDenied, 403, in S3 and
SQS's query protocol) and never reaches moto. Any other key (the stack's own provisioning, pollers, `make token`,
the tests' clients) and unsigned requests (the JWKS) pass unchecked. Presigned URLs and form uploads are
authorized as the credential that signed them. The stack registers its functions' roles with a POST to
`/_devstack/iam/roles` (devstack/iam/enforce.py); allowed calls are appended to the usage file it names.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from devstack.iam.calls import (
    ACCOUNT_ID,
    Call,
    Request,
    UnmappedCallError,
    cognito_calls,
    dynamodb_calls,
    secretsmanager_calls,
    sqs_calls,
)
from devstack.iam.denials import denial_response
from devstack.iam.policy import Policy
from devstack.iam.s3calls import form_upload_key, s3_calls

REGISTRATION_PATH = "/_devstack/iam/roles"
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
_SERVICES: dict[str, Callable[[Request], list[Call]]] = {
    "dynamodb": dynamodb_calls,
    "sqs": sqs_calls,
    "s3": s3_calls,
    "secretsmanager": secretsmanager_calls,
    "cognito-idp": cognito_calls,
}


@dataclass(frozen=True)
class Principal:
    function: str
    principal_arn: str
    role_arn: str
    policy: Policy


def _secret_arn(name: str, region: str) -> str:
    from moto.secretsmanager.models import secretsmanager_backends  # only moto's process needs it

    try:
        return str(secretsmanager_backends[ACCOUNT_ID][region].secrets[name].arn)
    except KeyError:
        return f"arn:aws:secretsmanager:{region}:{ACCOUNT_ID}:secret:{name}"


def _read_body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body: bytes = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _is_form_upload(environ: dict[str, Any]) -> bool:
    content_type = str(environ.get("CONTENT_TYPE", ""))
    return environ["REQUEST_METHOD"] == "POST" and content_type.startswith("multipart/form-data")


def _form_signature(environ: dict[str, Any], body: bytes) -> tuple[str, str, str] | None:
    """(access key id, region, service) of the credential that signed a browser form upload's policy."""
    headers = {"content-type": str(environ.get("CONTENT_TYPE", ""))}
    credential = form_upload_key(Request("POST", "", {}, headers, body, "s3", ""))[1] or ""
    if credential.count("/") != 4:
        return None
    key, _, region, service, _ = credential.split("/")
    return key, region, service


class IamEnforcer:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.principals: dict[str, Principal] = {}
        self.usage_path: Path | None = None
        self._recorded: set[tuple[str, str, str, str]] = set()
        self._lock = threading.Lock()

    def register(self, body: dict[str, Any]) -> None:
        for role in body["roles"]:
            role_arn = f"arn:aws:iam::{ACCOUNT_ID}:role/{role['role_name']}"
            principal_arn = f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role['role_name']}/{role['function_name']}"
            documents = [(name, document) for name, document in role["documents"]]
            policy = Policy.from_documents(documents)
            self.principals[role["access_key_id"]] = Principal(role["function"], principal_arn, role_arn, policy)
        self.usage_path = Path(body["usage"]) if body.get("usage") else None

    def _signature(self, environ: dict[str, Any], query: dict[str, list[str]]) -> tuple[str, str, str] | None:
        """(access key id, region, service) of the request's SigV4 signature, wherever it is carried."""
        found = _CREDENTIAL.search(str(environ.get("HTTP_AUTHORIZATION", "")))
        if found:
            return found.group(1), found.group(2), found.group(3)
        credential = (query.get("X-Amz-Credential") or [""])[0]
        if credential.count("/") == 4:
            key, _, region, service, _ = credential.split("/")
            return key, region, service
        return None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == REGISTRATION_PATH and environ["REQUEST_METHOD"] == "POST":
            self.register(json.loads(_read_body(environ)))
            start_response("204 No Content", [])
            return []
        query = parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True)
        signature = self._signature(environ, query)
        body = b""
        if signature is None and self.principals and _is_form_upload(environ):
            body = _read_body(environ)
            signature = _form_signature(environ, body)
        principal = self.principals.get(signature[0]) if signature else None
        if principal is None or signature is None:
            return self.app(environ, start_response)  # type: ignore[no-any-return]
        return self._authorize(environ, start_response, principal, signature=signature, query=query, body=body)

    def _request(
        self, environ: dict[str, Any], signature: tuple[str, str, str], query: dict[str, list[str]], body: bytes
    ) -> Request:
        _, region, service = signature
        if service != "s3" or _is_form_upload(environ):
            body = body or _read_body(environ)
        headers = {
            key[5:].replace("_", "-").lower(): str(value) for key, value in environ.items() if key.startswith("HTTP_")
        }
        headers["content-type"] = str(environ.get("CONTENT_TYPE", ""))
        method, path = str(environ["REQUEST_METHOD"]), str(environ.get("PATH_INFO", "/"))
        return Request(method, path, query, headers, body, service, region, secret_arn=_secret_arn)

    def _authorize(
        self,
        environ: dict[str, Any],
        start_response: Any,
        principal: Principal,
        *,
        signature: tuple[str, str, str],
        query: dict[str, list[str]],
        body: bytes,
    ) -> Iterable[bytes]:
        request = self._request(environ, signature, query, body)
        context = {
            "aws:securetransport": str(environ.get("wsgi.url_scheme") == "https").lower(),
            "aws:requestedregion": request.region,
            "aws:principalarn": principal.role_arn,
            "aws:principalaccount": ACCOUNT_ID,
            "aws:principaltype": "AssumedRole",
        }
        try:
            calls = _SERVICES[request.service](request)
        except (UnmappedCallError, KeyError) as error:
            return denial_response(request, start_response, f"{principal.principal_arn}: {error}")
        allowed_by = []
        for call in calls:
            decision = principal.policy.decide(call.action, call.resource, context)
            allowed_by.append(decision.allowed_by)
            if not decision.allowed:
                kind = "with an explicit deny in" if decision.explicit_deny else "because no"
                ending = "an identity-based policy" if decision.explicit_deny else "identity-based policy allows"
                action = "" if decision.explicit_deny else f" the {call.action} action"
                message = (
                    f"User: {principal.principal_arn} is not authorized to perform: {call.action} on resource: "
                    f"{call.resource} {kind} {ending}{action}"
                )
                return denial_response(request, start_response, message)
        self._record(principal.function, calls, allowed_by)
        return self.app(environ, start_response)  # type: ignore[no-any-return]

    def _record(self, function: str, calls: list[Call], allowed_by: list[str]) -> None:
        """Each (function, action, resource, statement that allowed it) once per server, for `make iam-report`."""
        keys = ("function", "action", "resource", "statement")
        entries = [
            (function, call.action, call.resource, source) for call, source in zip(calls, allowed_by, strict=True)
        ]
        with self._lock:
            new = [entry for entry in entries if entry not in self._recorded]
            if not new or self.usage_path is None:
                return
            self._recorded.update(new)
            lines = "".join(json.dumps(dict(zip(keys, entry, strict=True))) + "\n" for entry in new)
            self.usage_path.parent.mkdir(parents=True, exist_ok=True)
            with self.usage_path.open("a") as usage:
                usage.write(lines)
