"""Event source mappings declared as AWS::Lambda::EventSourceMapping run locally like SAM's SQS/DynamoDB events."""

from collections.abc import Iterator

import pytest
from moto import mock_aws

from devstack.provision import provision
from devstack.stack import mapping_events
from devstack.template import load_template


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield provision(load_template())


def test_mappings_of_the_template_become_events_of_their_functions(names: dict[str, str]) -> None:
    events = {
        (function, event.type, event.name): event.properties
        for function, event in mapping_events(load_template(), names)
    }

    assert set(events) == {
        ("JobsWorkerFunction", "SQS", "JobsWorkerFunctionImportJobs"),
        ("JobsWorkerFunction", "SQS", "JobsWorkerFunctionExportJobs"),
        ("AuditFunction", "DynamoDB", "AuditFunctionItemChanges"),
    }
    assert events[("JobsWorkerFunction", "SQS", "JobsWorkerFunctionImportJobs")]["Queue"] == names["ImportQueue.Arn"]
    assert events[("AuditFunction", "DynamoDB", "AuditFunctionItemChanges")]["Stream"] == names["ItemsTable.StreamArn"]
    assert events[("AuditFunction", "DynamoDB", "AuditFunctionItemChanges")]["BatchSize"] == 100


def test_mappings_naming_a_functions_live_alias_invoke_that_function(names: dict[str, str]) -> None:
    # template.yaml's mappings name `!Ref Function.Alias` (AutoPublishAlias): SAM's reference to the alias.
    raw = load_template().resources_of_type("AWS::Lambda::EventSourceMapping")["AuditFunctionItemChanges"]
    [(function, event)] = [
        (function, event)
        for function, event in mapping_events(load_template(), names)
        if event.name == "AuditFunctionItemChanges"
    ]

    assert raw["FunctionName"] == {"Ref": "AuditFunction.Alias"}
    assert function == "AuditFunction"
    assert event.properties["FunctionName"] == f"{names['AuditFunction.Arn']}:live"
    assert names["AuditFunction.Alias"].endswith(":function:items-local-AuditFunction:live")
