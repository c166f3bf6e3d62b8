"""provision() creates the template's resources on moto and returns names the template resolves against."""

from collections.abc import Iterator

import boto3
import moto
import pytest

from devstack.names import Names
from devstack.provision import creation_order, provision
from devstack.template import load_template


@pytest.fixture
def names() -> Iterator[Names]:
    with moto.mock_aws():
        yield provision(load_template())


def test_tables_exist_with_stream_and_ttl(names: Names) -> None:
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    table = dynamodb.describe_table(TableName=names.ref("ItemsTable"))["Table"]

    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert names.get_att("ItemsTable", "StreamArn") == table["LatestStreamArn"]
    ttl = dynamodb.describe_time_to_live(TableName=names.ref("ItemsTable"))["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expiresAt"


def test_secret_is_generated_without_punctuation(names: Names) -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    value = client.get_secret_value(SecretId=names.ref("CursorSigningSecret"))["SecretString"]

    assert len(value) == 64
    assert value.isalnum()


def test_function_environment_points_at_provisioned_resources(names: Names) -> None:
    environment = load_template().function_environment("ItemsWriteFunction", names)

    assert environment["ITEMS_TABLE_NAME"] == names.ref("ItemsTable")
    assert environment["CURSOR_SECRET_ARN"].startswith("arn:aws:secretsmanager:")


def test_provision_twice_finds_the_same_resources(names: Names) -> None:
    again = provision(load_template())

    assert again.physical_ids() == names.physical_ids()


def test_dead_letter_queue_is_created_before_its_source() -> None:
    resources = {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"NotificationConfiguration": {"Q": {"Ref": "Queue"}}}},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"RedrivePolicy": {"a": {"Fn::GetAtt": "Dlq.Arn"}}}},
        "Dlq": {"Type": "AWS::SQS::Queue", "Properties": {}},
    }

    assert creation_order(resources) == ["Dlq", "Queue", "Bucket"]
