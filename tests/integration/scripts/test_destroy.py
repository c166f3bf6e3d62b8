"""scripts/destroy.py empties a dev stack's versioned bucket (every version and delete marker), refuses prod, and has
nothing to do for a stack that was never deployed or whose creation was rolled back (the preview workflow's case)."""

import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from scripts.destroy import main, stage_and_bucket

STACK_TEMPLATE = {
    "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
    "Resources": {"JobsBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "items-jobs-destroy"}}},
    "Outputs": {"JobsBucketName": {"Value": {"Ref": "JobsBucket"}}},
}


def deployed(stage: str) -> Any:
    boto3.client("cloudformation").create_stack(
        StackName=f"items-{stage}",
        TemplateBody=json.dumps(STACK_TEMPLATE),
        Parameters=[{"ParameterKey": "Stage", "ParameterValue": stage}],
    )
    s3 = boto3.client("s3")
    s3.put_bucket_versioning(Bucket="items-jobs-destroy", VersioningConfiguration={"Status": "Enabled"})
    for n in range(3):
        s3.put_object(Bucket="items-jobs-destroy", Key="imports/o/a.jsonl", Body=f"version {n}".encode())
    s3.put_object(Bucket="items-jobs-destroy", Key="exports/o/b.jsonl", Body=b"x")
    s3.delete_object(Bucket="items-jobs-destroy", Key="exports/o/b.jsonl")  # leaves a delete marker
    return s3


def versions(s3: Any) -> int:
    listing = s3.list_object_versions(Bucket="items-jobs-destroy")
    return len(listing.get("Versions", [])) + len(listing.get("DeleteMarkers", []))


def test_a_dev_stacks_bucket_is_emptied_of_every_version(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    s3 = deployed("dev")
    assert versions(s3) == 5

    assert main(["items-dev"]) == 0

    assert versions(s3) == 0
    assert "deleted 5 object versions" in capsys.readouterr().out


def test_a_prod_stack_is_refused_and_keeps_its_files(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    s3 = deployed("prod")

    assert main(["items-prod"]) == 1

    assert versions(s3) == 5
    assert "refusing" in capsys.readouterr().err


def test_a_stack_that_was_never_deployed_has_nothing_to_empty(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["items-pr-7"]) == 0

    assert "no jobs bucket to empty" in capsys.readouterr().out


def test_a_stack_whose_creation_was_rolled_back_has_nothing_to_empty(aws: None) -> None:
    cloudformation = boto3.client("cloudformation")
    stub = {"StackName": "items-pr-7", "CreationTime": "2026-01-01T00:00:00Z", "StackStatus": "ROLLBACK_COMPLETE"}
    with Stubber(cloudformation) as stubber:
        stubber.add_response("describe_stacks", {"Stacks": [stub]}, {"StackName": "items-pr-7"})

        assert stage_and_bucket(cloudformation, "items-pr-7") is None
