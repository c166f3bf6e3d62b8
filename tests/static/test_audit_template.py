"""What template.yaml promises about the audit trail: how the stream is read, who may touch the audit table."""

from typing import Any

import pytest

from devstack.template import Template, load_template

WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template()


def actions_on_audit_table(function: dict[str, Any]) -> set[str]:
    """The actions a function's policies allow on the audit table."""
    found: set[str] = set()
    for policy in function.get("Policies", []):
        for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
            if "AuditTable" in str(statement.get("Resource")):
                actions = statement["Action"]
                found |= set(actions if isinstance(actions, list) else [actions])
    return found


def mappings_of(template: Template, function: str) -> list[dict[str, Any]]:
    mappings = template.resources_of_type("AWS::Lambda::EventSourceMapping").values()
    return [mapping for mapping in mappings if mapping["FunctionName"] == {"Ref": f"{function}.Alias"}]


def test_the_stream_is_read_with_bounded_retries_and_a_failure_destination(template: Template) -> None:
    [source] = mappings_of(template, "AuditFunction")

    assert source["EventSourceArn"] == {"Fn::GetAtt": ["ItemsTable", "StreamArn"]}
    assert source["StartingPosition"] == "TRIM_HORIZON"
    assert source["BatchSize"] == 100
    assert source["BisectBatchOnFunctionError"] is True
    assert 0 <= source["MaximumRetryAttempts"] <= 10
    # Below the stream's 24 h retention: a record sent to the failure queue can still be read again.
    assert 60 <= source["MaximumRecordAgeInSeconds"] < 24 * 3600
    assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert source["DestinationConfig"]["OnFailure"] == {"Destination": {"Fn::GetAtt": ["AuditFailuresQueue", "Arn"]}}


def test_the_audit_role_reads_only_the_items_stream(template: Template) -> None:
    function = template.resources_of_type("AWS::Serverless::Function")["AuditFunction"]
    statements = [statement for policy in function["Policies"] for statement in policy["Statement"]]
    stream_reads = [s for s in statements if "dynamodb:GetRecords" in s["Action"]]

    assert [s["Resource"] for s in stream_reads] == [{"Fn::GetAtt": ["ItemsTable", "StreamArn"]}]
    assert "Events" not in function, "SAM's DynamoDB event would attach a policy reading every stream"


def test_only_the_audit_function_writes_the_audit_table_and_only_with_put(template: Template) -> None:
    functions = template.resources_of_type("AWS::Serverless::Function")
    writers = {name: actions_on_audit_table(f) & WRITE_ACTIONS for name, f in functions.items()}

    assert {name: actions for name, actions in writers.items() if actions} == {"AuditFunction": {"dynamodb:PutItem"}}
    assert actions_on_audit_table(functions["AuditFunction"]) == {"dynamodb:PutItem"}


def test_the_api_can_only_query_the_audit_table(template: Template) -> None:
    functions = template.resources_of_type("AWS::Serverless::Function")

    assert actions_on_audit_table(functions["ItemsReadFunction"]) == {"dynamodb:Query"}
    assert actions_on_audit_table(functions["ItemsWriteFunction"]) == set()


def test_entries_cannot_be_changed_or_deleted_and_expire_by_ttl(template: Template) -> None:
    table = template.resources_of_type("AWS::DynamoDB::Table")["AuditTable"]
    [statement] = table["ResourcePolicy"]["PolicyDocument"]["Statement"]

    assert (statement["Effect"], statement["Principal"]) == ("Deny", "*")
    assert {"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"} <= set(statement["Action"])
    assert "dynamodb:PutItem" not in statement["Action"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}


def test_retention_defaults_to_a_year(template: Template) -> None:
    environment = template.functions()["AuditFunction"].environment

    assert environment["AUDIT_RETENTION_DAYS"] == {"Ref": "AuditRetentionDays"}
    assert template.body["Parameters"]["AuditRetentionDays"]["Default"] == 365


def test_the_failure_queue_keeps_messages_for_14_days(template: Template) -> None:
    queue = template.resources_of_type("AWS::SQS::Queue")["AuditFailuresQueue"]

    assert queue["MessageRetentionPeriod"] == 14 * 24 * 3600
