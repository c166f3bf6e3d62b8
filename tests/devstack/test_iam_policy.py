"""IAM policy evaluation (devstack/iam/policy.py) against the rules AWS documents for identity-based policies."""

from __future__ import annotations

import pytest

from devstack.iam.policy import Policy, PolicyError

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/items"
CONTEXT = {"aws:securetransport": "false", "aws:requestedregion": "us-east-1"}


def policy(*statements: dict[str, object]) -> Policy:
    return Policy.from_documents([("test", {"Version": "2012-10-17", "Statement": list(statements)})])


def allowed(subject: Policy, action: str, resource: str = TABLE) -> bool:
    return subject.decide(action, resource, CONTEXT).allowed


def test_an_allow_needs_both_its_action_and_its_resource() -> None:
    subject = policy({"Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": TABLE})

    assert allowed(subject, "dynamodb:PutItem")
    assert not allowed(subject, "dynamodb:GetItem")
    assert not allowed(subject, "dynamodb:PutItem", TABLE + "-other")
    assert not allowed(subject, "dynamodb:PutItem", TABLE + "/index/byName")


def test_wildcards_actions_ignore_case_and_resources_do_not() -> None:
    subject = policy({"Effect": "Allow", "Action": "DynamoDB:Get*", "Resource": "arn:aws:s3:::bucket/imports/*"})

    assert allowed(subject, "dynamodb:GetItem", "arn:aws:s3:::bucket/imports/a/b.jsonl")
    assert not allowed(subject, "dynamodb:GetItem", "arn:aws:s3:::bucket/Imports/a.jsonl")
    assert not allowed(subject, "dynamodb:GetItem", "arn:aws:s3:::bucket/exports/a.jsonl")


def test_an_explicit_deny_wins_and_not_elements_invert() -> None:
    subject = policy(
        {"Effect": "Allow", "NotAction": "dynamodb:DeleteItem", "Resource": "*"},
        {"Effect": "Deny", "Action": "dynamodb:UpdateItem", "NotResource": TABLE},
    )

    assert allowed(subject, "dynamodb:PutItem")
    assert not allowed(subject, "dynamodb:DeleteItem")
    assert allowed(subject, "dynamodb:UpdateItem")
    decision = subject.decide("dynamodb:UpdateItem", TABLE + "-other", CONTEXT)
    assert (decision.allowed, decision.explicit_deny) == (False, True)


def test_conditions_on_known_keys_are_evaluated() -> None:
    subject = policy(
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
        {
            "Effect": "Allow",
            "Action": "sqs:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
        },
    )

    assert not allowed(subject, "s3:GetObject")  # the local stack is plain HTTP
    assert allowed(subject, "sqs:SendMessage")


@pytest.mark.parametrize(
    "condition",
    [{"StringEquals": {"dynamodb:LeadingKeys": "x"}}, {"ForAnyValue:StringLike": {"aws:PrincipalArn": "x"}}],
)
def test_a_condition_it_cannot_evaluate_is_refused_when_loaded(condition: dict[str, object]) -> None:
    with pytest.raises(PolicyError):
        policy({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": condition})
