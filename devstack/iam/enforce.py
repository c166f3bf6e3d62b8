"""The stack's side of IAM: registers each function's role with the AWS server and gives its environments the
function's own access key. The stack's plumbing (provisioning, pollers, `make token`) keeps its own credentials.

Environments in subprocesses only: with --concurrency 1 every handler shares the devstack process and so the
clients a shared module created first, so one function would call with another's role; IAM is then not enforced.
"""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from devstack.execution.function import FunctionRuntime
from devstack.iam.expansion import expanded_template
from devstack.iam.middleware import REGISTRATION_PATH
from devstack.iam.roles import FunctionRole, function_roles
from devstack.stack import mapping_events
from devstack.template import REPO_ROOT, Template

LOG = logging.getLogger("devstack")
DEFAULT_DIRECTORY = REPO_ROOT / ".aws-sam" / "local" / "iam"


def iam_directory() -> Path:
    """Where the roles as enforced (roles.json) and the allowed calls (usage.jsonl) go; DEVSTACK_IAM_DIR moves it."""
    return Path(os.environ.get("DEVSTACK_IAM_DIR") or DEFAULT_DIRECTORY)


def _register(endpoint: str, body: bytes) -> bool:
    request = urllib.request.Request(endpoint + REGISTRATION_PATH, data=body, method="POST")  # noqa: S310 - http(s)
    try:
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - the stack's own endpoint
            return True
    except urllib.error.HTTPError:
        return False  # not devstack.aws_server (LocalStack, a plain moto): it has no such path


def event_sources(template: Template, names: Mapping[str, str]) -> dict[str, dict[str, list[str]]]:
    """function -> {"polled": queues and streams its event source mappings read, "destinations": where they send
    records given up on}: Lambda uses the function's role for them, the local pollers their own credentials, so
    the report marks those permissions."""
    sources: dict[str, dict[str, list[str]]] = {}
    events = [
        (function_id, event) for function_id, function in template.functions().items() for event in function.events
    ]
    for function_id, event in [*events, *mapping_events(template, names)]:
        properties = template.resolve(event.properties, names)
        entry = sources.setdefault(function_id, {"polled": [], "destinations": []})
        entry["polled"] += [str(properties[key]) for key in ("Queue", "Stream", "EventSourceArn") if key in properties]
        destination = properties.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        entry["destinations"] += [str(destination)] if destination else []
    return sources


def _roles_json(
    roles: Mapping[str, FunctionRole], sources: Mapping[str, dict[str, list[str]]]
) -> list[dict[str, object]]:
    return [
        {
            "function": role.function,
            "event_sources": sources.get(role.function, {"polled": [], "destinations": []}),
            "function_name": role.function_name,
            "role_name": role.role_name,
            "access_key_id": role.access_key_id,
            "documents": role.documents,
        }
        for role in roles.values()
    ]


def enforce_iam(
    template: Template, names: Mapping[str, str], runtimes: Mapping[str, FunctionRuntime], endpoint: str
) -> None:
    if any(runtime.in_process for runtime in runtimes.values()):
        LOG.warning("IAM not enforced with --concurrency 1: the handlers share this process and its clients")
        return
    started = time.monotonic()
    roles = function_roles(expanded_template(template), template, names)
    directory = iam_directory()
    directory.mkdir(parents=True, exist_ok=True)
    registration = {
        "usage": str(directory / "usage.jsonl"),
        "roles": _roles_json(roles, event_sources(template, names)),
    }
    if not _register(endpoint, json.dumps(registration).encode()):
        LOG.warning("IAM not enforced: %s is not devstack.aws_server; functions keep the stack's credentials", endpoint)
        return
    (directory / "roles.json").write_text(json.dumps(registration["roles"], indent=1) + "\n")
    for function, role in roles.items():
        # The secret is never checked (moto does not verify signatures): the key id names the role.
        credentials = {"AWS_ACCESS_KEY_ID": role.access_key_id, "AWS_SECRET_ACCESS_KEY": "local-function-secret"}
        runtimes[function].environment.update(credentials)
    LOG.info(
        "IAM enforced per function (%d roles as SAM expands them, %.2f s): a call its role does not allow is refused",
        len(roles),
        time.monotonic() - started,
    )
