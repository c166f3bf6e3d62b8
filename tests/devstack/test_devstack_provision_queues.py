"""Queues, dead-letter redrive and bucket notifications, provisioned from a small template in dependency order."""

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import boto3
import moto
import pytest

from devstack.names import Names
from devstack.provision import provision
from devstack.template import load_template

TEMPLATE = Path(__file__).parent / "fixtures" / "queues-and-bucket.yaml"


@pytest.fixture
def names() -> Iterator[Names]:
    with moto.mock_aws():
        yield provision(load_template(TEMPLATE, region="us-east-1"), time_scale=0.1)


def test_redrive_policy_points_at_the_dead_letter_queue(names: Names) -> None:
    sqs = boto3.client("sqs", region_name="us-east-1")
    attributes = sqs.get_queue_attributes(QueueUrl=names.ref("Work"), AttributeNames=["All"])["Attributes"]

    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": names.get_att("Dead", "Arn"),
        "maxReceiveCount": 3,
    }
    assert attributes["MessageRetentionPeriod"] == "3600"
    assert names.get_att("Dead", "QueueName") == "demo-dead"


def test_time_scale_shortens_visibility_timeouts(names: Names) -> None:
    sqs = boto3.client("sqs", region_name="us-east-1")
    attributes = sqs.get_queue_attributes(QueueUrl=names.ref("Work"), AttributeNames=["VisibilityTimeout"])

    assert attributes["Attributes"]["VisibilityTimeout"] == "4"


def test_bucket_notifies_the_queue_of_new_objects(names: Names) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    sqs = boto3.client("sqs", region_name="us-east-1")

    s3.put_object(Bucket=names.ref("Uploads"), Key="incoming/a.txt", Body=b"a")

    messages = sqs.receive_message(QueueUrl=names.ref("Work"), MaxNumberOfMessages=10).get("Messages", [])
    records = [record for message in messages for record in json.loads(message["Body"]).get("Records", [])]
    assert [unquote(record["s3"]["object"]["key"]) for record in records] == ["incoming/a.txt"]


def test_bucket_settings_are_applied(names: Names) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    bucket = names.ref("Uploads")

    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"][0]["MaxAgeSeconds"] == 60
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]["BlockPublicAcls"] is True
