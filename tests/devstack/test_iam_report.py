"""`make iam-report` (devstack/iam/report.py): a grant is used when a call its own statement allowed matches it."""

from __future__ import annotations

from devstack.iam.report import function_report

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/items"
QUEUES = ["arn:aws:sqs:us-east-1:123456789012:import", "arn:aws:sqs:us-east-1:123456789012:export"]
ROLE = {
    "function": "Worker",
    "role_name": "items-local-WorkerRole",
    "event_sources": {"polled": [QUEUES[0]], "destinations": []},
    "documents": [
        [
            "WorkerPolicy",
            {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:Query"], "Resource": TABLE}]},
        ],
        [
            "Queues",
            {
                "Statement": [
                    {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": QUEUES}
                ]
            },
        ],
        [
            "AWSLambdaBasicExecutionRole",
            {"Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]},
        ],
    ],
}


def test_used_and_unused_grants_per_statement() -> None:
    used = [
        # Another stack's ARN (a secret's random suffix, a stream's label): the statement's only resource all the same.
        {"action": "dynamodb:PutItem", "resource": TABLE + "-a1b2c3", "statement": "WorkerPolicy#0"},
        {"action": "sqs:SendMessage", "resource": QUEUES[1], "statement": "Queues#0"},
        # Allowed by another statement: does not make this one's Query used.
        {"action": "dynamodb:Query", "resource": TABLE, "statement": "AnotherPolicy#0"},
    ]

    assert function_report(ROLE, used) == [
        "Worker (role items-local-WorkerRole)",
        "  used:   \n    dynamodb:PutItem on table/items (1 resource(s))"
        "\n    sqs:SendMessage on export (1 resource(s))",
        "  unused: \n    dynamodb:Query on table/items"
        "\n    sqs:SendMessage on import"
        "\n    sqs:ReceiveMessage on import (event source: polled with the stack's credentials)"
        "\n    sqs:ReceiveMessage on export",
        "  not served locally (Lambda's own, AWS-managed): logs:PutLogEvents",
    ]
