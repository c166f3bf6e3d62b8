"""scripts/destroy.py empties a dev stack's versioned bucket (every version and delete marker) and refuses prod."""

import json
from typing import Any

import boto3
import pytest

from scripts.destroy import main

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
