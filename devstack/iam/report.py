"""`make iam-report`: per function, the permissions the last run used and those its role grants but nothing used.

Reads what the local stack wrote under .aws-sam/local/iam/ (DEVSTACK_IAM_DIR): roles.json, each function's policies
as enforced, and usage.jsonl, every (function, action, resource) it allowed. `make e2e` starts with an empty usage
file, so after it the report shows what the test suite exercised: a granted pair nothing used is a candidate for
removal (least privilege), or a path no test covers. Actions of services the local stack does not serve (CloudWatch
Logs, X-Ray, EC2 network interfaces: Lambda's own, from the AWS-managed policies) are listed apart.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack.iam.enforce import iam_directory
from devstack.iam.policy import matches
from devstack.template import DEFAULT_TEMPLATE, load_template

SERVED = ("dynamodb:", "sqs:", "s3:", "secretsmanager:", "cognito-idp:")
_ARN_PREFIXES = ("arn:aws:dynamodb:us-east-1:123456789012:", "arn:aws:sqs:us-east-1:123456789012:", "arn:aws:")


def short(resource: str) -> str:
    for prefix in _ARN_PREFIXES:
        if resource.startswith(prefix):
            return resource.removeprefix(prefix)
    return resource


@dataclass(frozen=True)
class Grant:
    statement: str  # "<policy name>#<index>", as the middleware records the statement that allowed a call
    action: str
    resource: str
    only_resource: bool  # the statement's single resource: it matches whatever ARN this run gave it


def grants(documents: Iterable[tuple[str, dict[str, Any]]]) -> list[Grant]:
    """An entry per action and resource of every Allow statement, in the order the policies list them."""
    found = []
    for name, document in documents:
        statements = document["Statement"]
        for index, statement in enumerate(statements if isinstance(statements, list) else [statements]):
            if statement["Effect"] != "Allow":
                continue
            actions = statement.get("Action", statement.get("NotAction"))
            resources = statement.get("Resource", statement.get("NotResource"))
            resources = resources if isinstance(resources, list) else [resources]
            for action in actions if isinstance(actions, list) else [actions]:
                found += [Grant(f"{name}#{index}", action, resource, len(resources) == 1) for resource in resources]
    return found


def _calls_of(grant: Grant, used: list[dict[str, str]]) -> list[dict[str, str]]:
    return [
        call
        for call in used
        if call.get("statement") == grant.statement
        and matches(grant.action, call["action"], ignore_case=True)
        and (grant.only_resource or matches(grant.resource, call["resource"]))
    ]


def _mark(grant: Grant, sources: dict[str, list[str]]) -> str:
    """Why an event source mapping's permission shows unused: the local pollers call with their own credentials."""
    if grant.resource in sources.get("destinations", []):
        return " (on-failure destination: the stack's poller sends)"
    stem = grant.resource.split("/stream/", 1)[0] if "/stream/" in grant.resource else None  # labels change per run
    polled = [
        source
        for source in sources.get("polled", [])
        if grant.resource == source or stem == source.split("/stream/", 1)[0]
    ]
    if polled and grant.action.lower() != "sqs:sendmessage":  # sending to a polled queue is the function's own call
        return " (event source: polled with the stack's credentials)"
    return ""


def _lines(entries: Iterable[str]) -> str:
    return "".join(f"\n    {entry}" for entry in entries)


def _partition(
    grants_: list[Grant], used: list[dict[str, str]], sources: dict[str, list[str]]
) -> tuple[list[str], list[str]]:
    used_lines, unused_lines = [], []
    for grant in grants_:
        calls = _calls_of(grant, used)
        described = f"{grant.action} on {short(grant.resource)}"
        if calls:
            used_lines.append(f"{described} ({len({call['resource'] for call in calls})} resource(s))")
        else:
            unused_lines.append(described + _mark(grant, sources))
    return used_lines, unused_lines


def function_report(role: dict[str, Any], used: list[dict[str, str]]) -> list[str]:
    granted = grants(role["documents"])
    served = [grant for grant in granted if grant.action.startswith(SERVED)]
    used_lines, unused_lines = _partition(served, used, role.get("event_sources", {}))
    not_served = sorted({grant.action for grant in granted} - {grant.action for grant in served})
    return [
        f"{role['function']} (role {role['role_name']})",
        "  used:   " + (_lines(used_lines) or "nothing"),
        "  unused: " + (_lines(unused_lines) or "none"),
        "  not served locally (Lambda's own, AWS-managed): " + (", ".join(not_served) or "none"),
    ]


def main(directory: Path | None = None) -> int:
    directory = directory or iam_directory()
    roles_path, usage_path = directory / "roles.json", directory / "usage.jsonl"
    if not roles_path.exists():
        print(f"{roles_path} not found: run the local stack (make dev, make e2e) first", file=sys.stderr)
        return 1
    usage: dict[str, list[dict[str, str]]] = {}
    if usage_path.exists():
        for line in usage_path.read_text().splitlines():
            entry = json.loads(line)
            usage.setdefault(entry["function"], []).append(entry)
    # The e2e tier's fixture stack adds functions of its own: the report is about the template's.
    functions = load_template(Path(os.environ.get("DEVSTACK_TEMPLATE") or DEFAULT_TEMPLATE)).functions()
    for role in json.loads(roles_path.read_text()):
        if role["function"] not in functions:
            continue
        print("\n".join(function_report(role, usage.get(role["function"], []))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
