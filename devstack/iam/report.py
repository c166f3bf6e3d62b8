"""`make iam-report`: per function, the permissions the last run used and those its role grants but nothing used.

Reads what the local stack wrote under .aws-sam/local/iam/ (DEVSTACK_IAM_DIR): roles.json, each function's policies
as enforced, and usage.jsonl, every (function, action, resource) it allowed. `make e2e` starts with an empty usage
file, so after it the report shows what the test suite exercised: a granted pair nothing used is a candidate for
removal (least privilege), or a path no test covers. Actions of services the local stack does not serve (CloudWatch
Logs, X-Ray, EC2 network interfaces: Lambda's own, from the AWS-managed policies) are listed apart.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from devstack.iam.enforce import iam_directory
from devstack.iam.policy import matches

SERVED = ("dynamodb:", "sqs:", "s3:", "secretsmanager:", "cognito-idp:")
_ARN_PREFIXES = ("arn:aws:dynamodb:us-east-1:123456789012:", "arn:aws:sqs:us-east-1:123456789012:", "arn:aws:")


def short(resource: str) -> str:
    for prefix in _ARN_PREFIXES:
        if resource.startswith(prefix):
            return resource.removeprefix(prefix)
    return resource


def granted_pairs(documents: Iterable[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    """(action pattern, resource pattern) of every Allow statement, in the order the policies list them."""
    pairs = []
    for _, document in documents:
        statements = document["Statement"]
        for statement in statements if isinstance(statements, list) else [statements]:
            if statement["Effect"] != "Allow":
                continue
            actions = statement.get("Action", statement.get("NotAction"))
            resources = statement.get("Resource", statement.get("NotResource"))
            for action in actions if isinstance(actions, list) else [actions]:
                for resource in resources if isinstance(resources, list) else [resources]:
                    pairs.append((str(action), str(resource)))
    return list(dict.fromkeys(pairs))


def _mark(resource: str, sources: list[str]) -> str:
    """(event source) when the resource is one the function's event source mappings poll or report to."""
    stem = resource.split("/stream/", 1)[0] if "/stream/" in resource else None  # a stream's label changes per run
    polled = any(source == resource or source.split("/stream/", 1)[0] == stem for source in sources)
    return " (event source: polled with the stack's credentials)" if polled else ""


def _used_by(action: str, resource: str, used: set[tuple[str, str]]) -> bool:
    return any(matches(action, call[0], ignore_case=True) and matches(resource, call[1]) for call in used)


def _lines(entries: Iterable[str]) -> str:
    return "".join(f"\n    {entry}" for entry in entries)


def function_report(role: dict[str, Any], used: set[tuple[str, str]]) -> list[str]:
    pairs = granted_pairs(role["documents"])
    sources = role.get("event_sources", [])
    unused = [
        f"{action} on {short(resource)}{_mark(resource, sources)}"
        for action, resource in pairs
        if action.startswith(SERVED) and not _used_by(action, resource, used)
    ]
    not_served = sorted({action for action, _ in pairs if not action.startswith(SERVED)})
    return [
        f"{role['function']} (role {role['role_name']})",
        "  used:   " + (_lines(sorted(f"{action} on {short(resource)}" for action, resource in used)) or "nothing"),
        "  unused: " + (_lines(unused) or "none"),
        "  not served locally (Lambda's own, AWS-managed): " + (", ".join(not_served) or "none"),
    ]


def main(directory: Path | None = None) -> int:
    directory = directory or iam_directory()
    roles_path, usage_path = directory / "roles.json", directory / "usage.jsonl"
    if not roles_path.exists():
        print(f"{roles_path} not found: run the local stack (make dev, make e2e) first", file=sys.stderr)
        return 1
    usage: dict[str, set[tuple[str, str]]] = {}
    if usage_path.exists():
        for line in usage_path.read_text().splitlines():
            entry = json.loads(line)
            usage.setdefault(entry["function"], set()).add((entry["action"], entry["resource"]))
    for role in json.loads(roles_path.read_text()):
        print("\n".join(function_report(role, usage.get(role["function"], set()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
