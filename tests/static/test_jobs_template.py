"""What template.yaml promises about imports and exports: the bucket, the queues, the worker's event sources, and
that the worker can never write where it is notified from."""

from typing import Any

import pytest

from devstack.template import Template, load_template

FOURTEEN_DAYS = 14 * 24 * 3600


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template()


@pytest.fixture(scope="module")
def bucket(template: Template) -> dict[str, Any]:
    return template.resources_of_type("AWS::S3::Bucket")["JobsBucket"]


def statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    return [statement for policy in function.get("Policies", []) for statement in policy.get("Statement", [])]


def s3_resources(function: dict[str, Any], action: str) -> set[str]:
    """The object keys a function's policies allow an S3 action on, as the text after the bucket name."""
    found = set()
    for statement in statements(function):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if action in actions:
            found.add(str(statement["Resource"]["Fn::Sub"]).split("${JobsBucket}")[1])
    return found


def test_the_bucket_is_private_encrypted_versioned_and_owner_enforced(bucket: dict[str, Any]) -> None:
    assert bucket["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], True
    )
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}


def test_the_bucket_refuses_requests_without_tls(template: Template) -> None:
    policy = template.resources_of_type("AWS::S3::BucketPolicy")["JobsBucketPolicy"]
    [deny] = [s for s in policy["PolicyDocument"]["Statement"] if s["Sid"] == "DenyInsecureTransport"]

    assert (deny["Effect"], deny["Principal"], deny["Action"]) == ("Deny", "*", "s3:*")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_files_expire_after_the_retention_parameter(bucket: dict[str, Any], template: Template) -> None:
    rules = {rule.get("Prefix"): rule for rule in bucket["LifecycleConfiguration"]["Rules"]}

    for prefix in ("imports/", "exports/"):
        assert rules[prefix]["ExpirationInDays"] == {"Ref": "JobFileRetentionDays"}
        assert rules[prefix]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    assert template.body["Parameters"]["JobFileRetentionDays"]["Default"] == 7


def test_cors_allows_the_configured_origins(bucket: dict[str, Any]) -> None:
    [rule] = bucket["CorsConfiguration"]["CorsRules"]

    assert rule["AllowedOrigins"] == {"Ref": "CorsAllowedOrigins"}
    assert set(rule["AllowedMethods"]) == {"GET", "POST"}


def test_only_imports_notify_and_the_worker_writes_only_exports(bucket: dict[str, Any], template: Template) -> None:
    [notification] = bucket["NotificationConfiguration"]["QueueConfigurations"]
    rules = {rule["Name"]: rule["Value"] for rule in notification["Filter"]["S3Key"]["Rules"]}
    worker = template.resources_of_type("AWS::Serverless::Function")["JobsWorkerFunction"]

    assert notification["Queue"] == {"Fn::GetAtt": ["ImportQueue", "Arn"]}
    assert rules["prefix"] == "imports/"
    assert s3_resources(worker, "s3:PutObject") == {"/exports/*"}


def test_the_api_signs_uploads_only_to_imports_and_downloads_only_from_exports(template: Template) -> None:
    jobs = template.resources_of_type("AWS::Serverless::Function")["JobsFunction"]

    assert s3_resources(jobs, "s3:PutObject") == {"/imports/*"}
    assert s3_resources(jobs, "s3:GetObject") == {"/exports/*"}


@pytest.mark.parametrize(
    ("queue", "dead_letter_queue"), [("ImportQueue", "ImportDeadLetterQueue"), ("ExportQueue", "ExportDeadLetterQueue")]
)
def test_queues_are_encrypted_with_a_dead_letter_queue_and_a_long_visibility(
    template: Template, queue: str, dead_letter_queue: str
) -> None:
    queues = template.resources_of_type("AWS::SQS::Queue")
    worker = template.functions()["JobsWorkerFunction"]
    max_receive = template.body["Parameters"]["JobQueueMaxReceiveCount"]

    assert queues[queue]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dead_letter_queue, "Arn"]},
        "maxReceiveCount": {"Ref": "JobQueueMaxReceiveCount"},
    }
    assert set(max_receive["AllowedValues"]) <= {3, 4, 5}
    assert queues[queue]["VisibilityTimeout"] >= 6 * worker.timeout
    assert queues[dead_letter_queue]["MessageRetentionPeriod"] == FOURTEEN_DAYS
    assert queues[queue]["SqsManagedSseEnabled"] is True
    assert queues[dead_letter_queue]["SqsManagedSseEnabled"] is True


def test_the_worker_reports_partial_batches_with_bounded_concurrency(template: Template) -> None:
    mappings = template.resources_of_type("AWS::Lambda::EventSourceMapping").values()
    sources = {
        mapping["EventSourceArn"]["Fn::GetAtt"][0]: mapping
        for mapping in mappings
        if mapping["FunctionName"] == {"Ref": "JobsWorkerFunction.Alias"}
    }

    assert set(sources) == {"ImportQueue", "ExportQueue"}
    for source in sources.values():
        assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert 2 <= source["ScalingConfig"]["MaximumConcurrency"] <= 10
        assert source["BatchSize"] >= 1


def test_the_worker_timeout_leaves_time_to_work_beyond_the_reserves_derived_from_its_clients(
    template: Template,
) -> None:
    import boto3

    from app.adapters.aws import CLIENT_CONFIG, S3_CONFIG, WORKER_CLIENT_CONFIG
    from app.adapters.time_reserves import time_reserves

    def made(service: str, config: Any) -> Any:
        return boto3.client(service, region_name="us-east-1", config=config)  # type: ignore[call-overload]

    reserves = time_reserves(
        dynamodb=made("dynamodb", WORKER_CLIENT_CONFIG), s3=made("s3", S3_CONFIG), sqs=made("sqs", CLIENT_CONFIG)
    )
    timeout_ms = template.functions()["JobsWorkerFunction"].timeout * 1000

    # A run that starts a job with no more than the reserve left still does a minute of work first.
    assert max(reserves.import_ms, reserves.export_ms) + 60_000 <= timeout_ms
    # 4 attempts of 1 s connect + 10 s read, and 1 + 2 + 4 s of backoff: 51 s for one worker DynamoDB call.
    assert reserves.import_ms == 10_000 + 51_000 + 19_000 + 51_000
