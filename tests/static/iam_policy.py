"""An identity policy evaluated as IAM evaluates it, for static proofs about the pipeline roles.

A request (action, resource ARN) is allowed when some Allow statement matches both, with `*` and `?` wildcards
(actions case-insensitively, resources case-sensitively: devstack/iam/policy.py's `matches`), and no Deny statement
matches. Unlike the local stack's `Policy`, which refuses condition keys it cannot know the value of, conditions here
are assumed satisfiable (nothing is deployed); callers decide which statements they cannot count on, e.g. one whose
condition needs a tag CloudFormation never puts on the resource.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from devstack.iam.policy import matches

CLOUDFORMATION_TAG_KEY = re.compile(r"^aws:(ResourceTag|RequestTag)/aws:cloudformation:", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    sid: str
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    condition: Mapping[str, Mapping[str, Any]]

    def allows_action(self, action: str) -> bool:
        return any(matches(pattern, action, ignore_case=True) for pattern in self.actions)

    def covers(self, action: str, resource: str) -> bool:
        return self.allows_action(action) and any(matches(pattern, resource) for pattern in self.resources)

    def relies_on_cloudformation_tags(self) -> bool:
        """True if a condition needs an aws:cloudformation:* tag on the request or on the resource."""
        keys = (key for operator in self.condition.values() for key in operator)
        return any(CLOUDFORMATION_TAG_KEY.match(key) for key in keys)


def as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def statements_of(document: Mapping[str, Any]) -> list[Statement]:
    """The statements of a resolved policy document (NotAction/NotResource are refused: not used here)."""
    parsed = []
    for index, raw in enumerate(document["Statement"]):
        unsupported = {"NotAction", "NotResource", "NotPrincipal"} & set(raw)
        if unsupported:
            raise ValueError(f"statement {index}: {sorted(unsupported)} is not evaluated by this module")
        parsed.append(
            Statement(
                sid=raw.get("Sid", f"#{index}"),
                effect=raw["Effect"],
                actions=as_tuple(raw["Action"]),
                resources=as_tuple(raw["Resource"]),
                condition=raw.get("Condition", {}),
            )
        )
    return parsed


def literal_prefix(pattern: str, wildcards: str) -> str:
    """The part of a pattern before its first wildcard (any character of `wildcards`)."""
    cut = min((pattern.find(w) for w in wildcards if w in pattern), default=len(pattern))
    return pattern[:cut]


def could_overlap(iam_pattern: str, arn_format: str) -> bool:
    """Whether an IAM Resource pattern and an ARN format (`.*` for each name) can match one ARN: their literal
    prefixes agree. Errs towards "yes" (a literal "." in a format only shortens its prefix): only obviously
    foreign resources are told apart, such as a layer permission on function ARNs."""
    left, right = literal_prefix(iam_pattern, "*?"), literal_prefix(arn_format, ".")
    return left.startswith(right) or right.startswith(left)


def granting(
    statements: list[Statement],
    action: str,
    resource: str,
    usable: Callable[[Statement], bool] = lambda _statement: True,
) -> list[Statement]:
    """The usable Allow statements that grant `action` on `resource`; none if a Deny matches."""
    if any(s.effect == "Deny" and s.covers(action, resource) for s in statements):
        return []
    return [s for s in statements if s.effect == "Allow" and s.covers(action, resource) and usable(s)]


def granting_on_some(
    statements: list[Statement],
    action: str,
    arn_formats: list[str],
    usable: Callable[[Statement], bool] = lambda _statement: True,
) -> list[Statement]:
    """The usable Allow statements that grant `action` on a resource that could have one of `arn_formats`; none if
    a Deny of the action on "*" exists (a narrower Deny is not weighed: the pipeline roles have none)."""
    if any(s.effect == "Deny" and s.allows_action(action) and "*" in s.resources for s in statements):
        return []
    return [
        s
        for s in statements
        if s.effect == "Allow"
        and usable(s)
        and s.allows_action(action)
        and any(could_overlap(r, f) for r in s.resources for f in arn_formats)
    ]
