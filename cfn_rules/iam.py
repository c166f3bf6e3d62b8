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


def managed_policy_name(arn: Any) -> str:
    """The policy name of an AWS-managed policy ARN (a literal or SAM's Fn::Sub with ${AWS::Partition})."""
    text = arn.get("Fn::Sub", "") if isinstance(arn, dict) else arn
    return str(text[0] if isinstance(text, list) else text).rsplit("/", 1)[-1]


class ManagedPoliciesJustified(CloudFormationLintRule):
    id = "E9006"
    shortdesc = "AWS-managed policies on roles are justified in the template's Metadata"
    description = (
        "Managed policies are written by AWS, often with Resource '*': every one a role carries (SAM attaches some "
        "to the roles it generates) must have a reason under Metadata.ManagedPolicyJustifications."
    )
    source_url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
    tags: ClassVar[list[str]] = ["iam", "project"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        justified = cfn.template.get("Metadata", {}).get("ManagedPolicyJustifications", {})
        matches = []
        for name, resource in cfn.get_resources(["AWS::IAM::Role"]).items():
            for index, arn in enumerate(resource.get("Properties", {}).get("ManagedPolicyArns", [])):
                policy = managed_policy_name(arn)
                if not str(justified.get(policy, "")).strip():
                    path = ["Resources", name, "Properties", "ManagedPolicyArns", index]
                    matches.append(RuleMatch(path, f"{name}: managed policy {policy} is not justified in Metadata"))
        return matches
