"""IAM policy evaluation as AWS does it for one principal's identity-based policies.

An explicit Deny wins; else an Allow whose Action (or NotAction) and Resource (or NotResource) match and whose
conditions hold; else the implicit deny. Actions match case-insensitively, resources case-sensitively, both with
the `*` and `?` wildcards. Conditions are evaluated for the operators and keys of `SUPPORTED_KEYS`; a policy naming
any other is refused when it is loaded (`PolicyError`), never silently treated as true or false.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

# The request context the local stack knows for every call: anything else could only be guessed.
SUPPORTED_KEYS = frozenset(
    {"aws:securetransport", "aws:requestedregion", "aws:principalarn", "aws:principalaccount", "aws:principaltype"}
)
_STRING = {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"}
_LIKE = {"StringLike", "StringNotLike", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"}
SUPPORTED_OPERATORS = frozenset(_STRING | _LIKE | {"Bool", "Null"})


class PolicyError(ValueError):
    """A policy the local evaluation cannot evaluate faithfully."""


@cache
def _pattern(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    translated = fnmatch.translate(pattern.replace("[", "[[]"))  # only * and ? are IAM wildcards
    return re.compile(translated, re.IGNORECASE if ignore_case else 0)


def matches(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    return _pattern(pattern, ignore_case).match(value) is not None


def _as_list(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _operator_holds(operator: str, expected: list[str], actual: str | None) -> bool:
    if operator == "Null":
        return (actual is None) == (expected[0].lower() == "true")
    if actual is None:
        return False
    if operator == "Bool":
        return actual.lower() == expected[0].lower()
    negated = "Not" in operator
    if operator in _STRING:
        ignore_case = operator.endswith("IgnoreCase")
        found = any(value.lower() == actual.lower() if ignore_case else value == actual for value in expected)
    else:
        found = any(matches(value, actual) for value in expected)
    return not found if negated else found


def conditions_hold(conditions: Mapping[str, Any], context: Mapping[str, str]) -> bool:
    for raw_operator, entries in conditions.items():
        if_exists = raw_operator.endswith("IfExists")
        operator = raw_operator.removesuffix("IfExists")
        for key, expected in entries.items():
            actual = context.get(key.lower())
            if actual is None and if_exists:
                continue
            if not _operator_holds(operator, _as_list(expected), actual):
                return False
    return True


def check_conditions(conditions: Mapping[str, Any], where: str) -> None:
    for raw_operator, entries in conditions.items():
        operator = raw_operator.removesuffix("IfExists")
        if operator not in SUPPORTED_OPERATORS:
            raise PolicyError(f"{where}: condition operator {raw_operator} is not evaluated by the local stack")
        unknown = sorted(key for key in entries if key.lower() not in SUPPORTED_KEYS)
        if unknown:
            raise PolicyError(f"{where}: condition keys {unknown} are not known to the local stack")


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...]
    not_actions: bool
    resources: tuple[str, ...]
    not_resources: bool
    conditions: Mapping[str, Any]
    source: str  # "<policy name>#<index>": the same statement in every stack of one template

    @classmethod
    def parse(cls, raw: Mapping[str, Any], where: str, source: str = "") -> Statement:
        if "Principal" in raw or "NotPrincipal" in raw:
            raise PolicyError(f"{where}: an identity-based policy names no Principal")
        where = f"{where} {raw.get('Sid', '')}".strip()
        check_conditions(raw.get("Condition", {}), where)
        return cls(
            effect=str(raw["Effect"]),
            actions=tuple(_as_list(raw.get("Action", raw.get("NotAction")))),
            not_actions="NotAction" in raw,
            resources=tuple(_as_list(raw.get("Resource", raw.get("NotResource")))),
            not_resources="NotResource" in raw,
            conditions=raw.get("Condition", {}),
            source=source,
        )

    def covers(self, action: str, resource: str, context: Mapping[str, str]) -> bool:
        action_listed = any(matches(pattern, action, ignore_case=True) for pattern in self.actions)
        resource_listed = any(matches(pattern, resource) for pattern in self.resources)
        return (
            action_listed != self.not_actions
            and resource_listed != self.not_resources
            and conditions_hold(self.conditions, context)
        )


@dataclass(frozen=True)
class Decision:
    allowed: bool
    explicit_deny: bool = False
    allowed_by: str = ""  # the source of the first statement that allows


@dataclass(frozen=True)
class Policy:
    """Every statement of a principal's policies, evaluated together."""

    statements: tuple[Statement, ...]

    @classmethod
    def from_documents(cls, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> Policy:
        statements = []
        for name, document in documents:
            raw = document["Statement"]
            for index, statement in enumerate(raw if isinstance(raw, list) else [raw]):
                statements.append(Statement.parse(statement, name, f"{name}#{index}"))
        return cls(tuple(statements))

    def decide(self, action: str, resource: str, context: Mapping[str, str]) -> Decision:
        covering = [statement for statement in self.statements if statement.covers(action, resource, context)]
        if any(statement.effect == "Deny" for statement in covering):
            return Decision(allowed=False, explicit_deny=True)
        allowing = [statement.source for statement in covering if statement.effect == "Allow"]
        return Decision(allowed=bool(allowing), allowed_by=allowing[0] if allowing else "")
