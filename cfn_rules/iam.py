"""E9001: no wildcard IAM actions anywhere: least privilege is spelled out action by action."""

from collections.abc import Iterator
from typing import Any, ClassVar

from cfnlint.rules import CloudFormationLintRule, RuleMatch

POLICY_HOLDERS = ("AWS::Serverless::Function", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")


def statements(value: Any, path: list[Any]) -> Iterator[tuple[dict[str, Any], list[Any]]]:
    """Every dict with an Action or NotAction key below `value`, with its path."""
    if isinstance(value, dict):
        if "Action" in value or "NotAction" in value:
            yield value, path
        for key, child in value.items():
            yield from statements(child, [*path, key])
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from statements(child, [*path, index])


def is_wildcard(action: Any) -> bool:
    return isinstance(action, str) and (action == "*" or action.endswith(":*"))


class NoWildcardActions(CloudFormationLintRule):
    id = "E9001"
    shortdesc = "IAM actions are named one by one"
    description = "Statements may not use '*' or 'service:*' actions, nor NotAction."
    source_url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
    tags: ClassVar[list[str]] = ["iam", "project"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, resource in cfn.get_resources(POLICY_HOLDERS).items():
            base = ["Resources", name, "Properties"]
            for statement, path in statements(resource.get("Properties", {}), base):
                if "NotAction" in statement:
                    matches.append(RuleMatch([*path, "NotAction"], f"{name}: NotAction grants everything else"))
                actions = statement.get("Action", [])
                for action in actions if isinstance(actions, list) else [actions]:
                    if is_wildcard(action):
                        matches.append(RuleMatch([*path, "Action"], f"{name}: wildcard action {action}"))
        return matches
