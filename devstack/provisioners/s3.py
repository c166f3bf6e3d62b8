"""AWS::S3::Bucket: CORS, notifications to SQS/SNS, public access block, encryption, versioning, ownership.

Moto itself delivers the object notifications to the queues, as S3 does. Lifecycle rules are not applied: moto
would not expire anything anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from devstack.provisioners.context import Context

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

LOG = logging.getLogger("devstack")
# CloudFormation list -> (target key in CloudFormation, target key in the API); the list keeps its name.
_NOTIFICATION_TARGETS = {"QueueConfigurations": ("Queue", "QueueArn"), "TopicConfigurations": ("Topic", "TopicArn")}
_ENCRYPTION_RULE_KEYS = {"ServerSideEncryptionByDefault": "ApplyServerSideEncryptionByDefault"}
_CORS_RULE_KEYS = {
    "AllowedHeaders": "AllowedHeaders",
    "AllowedMethods": "AllowedMethods",
    "AllowedOrigins": "AllowedOrigins",
    "ExposedHeaders": "ExposeHeaders",
    "Id": "ID",
    "MaxAge": "MaxAgeSeconds",
}


def _notification(config: dict[str, Any], target_key: str, api_key: str) -> dict[str, Any]:
    converted: dict[str, Any] = {api_key: config[target_key], "Events": [config["Event"]]}
    rules = config.get("Filter", {}).get("S3Key", {}).get("Rules")
    return {**converted, "Filter": {"Key": {"FilterRules": rules}}} if rules else converted


def notification_configuration(properties: dict[str, Any]) -> dict[str, Any]:
    configuration: dict[str, Any] = {
        kind: [_notification(config, target, api_key) for config in properties[kind]]
        for kind, (target, api_key) in _NOTIFICATION_TARGETS.items()
        if kind in properties
    }
    if properties.get("EventBridgeConfiguration", {}).get("EventBridgeEnabled"):
        configuration["EventBridgeConfiguration"] = {}
    if "LambdaConfigurations" in properties:
        # Moto would invoke a Lambda function it does not have; route S3 events through SQS to test them locally.
        LOG.warning("S3 LambdaConfigurations are not emulated locally")
    return configuration


def _put_cors(client: S3Client, bucket: str, configuration: dict[str, Any]) -> None:
    rules = [
        {_CORS_RULE_KEYS[key]: value for key, value in rule.items() if key in _CORS_RULE_KEYS}
        for rule in configuration["CorsRules"]
    ]
    client.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})  # type: ignore[typeddict-item]


def _put_public_access_block(client: S3Client, bucket: str, configuration: dict[str, Any]) -> None:
    client.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=configuration)  # type: ignore[arg-type]


def _put_encryption(client: S3Client, bucket: str, configuration: dict[str, Any]) -> None:
    # CloudFormation says ServerSideEncryptionByDefault where the S3 API says ApplyServerSideEncryptionByDefault.
    rules = [
        {_ENCRYPTION_RULE_KEYS.get(key, key): value for key, value in rule.items()}
        for rule in configuration["ServerSideEncryptionConfiguration"]
    ]
    encryption: Any = {"Rules": rules}
    client.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=encryption)


def _put_ownership_controls(client: S3Client, bucket: str, configuration: dict[str, Any]) -> None:
    client.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=configuration)  # type: ignore[arg-type]


def _put_versioning(client: S3Client, bucket: str, configuration: dict[str, Any]) -> None:
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration=configuration)  # type: ignore[arg-type]


def _put_notifications(client: S3Client, bucket: str, configuration: dict[str, Any]) -> None:
    notifications = notification_configuration(configuration)
    client.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=notifications)  # type: ignore[arg-type]


# Bucket property -> the call that applies it (a bucket's notification targets exist by now: see creation_order).
_CONFIGURATIONS: dict[str, Callable[[S3Client, str, dict[str, Any]], None]] = {
    "CorsConfiguration": _put_cors,
    "PublicAccessBlockConfiguration": _put_public_access_block,
    "BucketEncryption": _put_encryption,
    "OwnershipControls": _put_ownership_controls,
    "VersioningConfiguration": _put_versioning,
    "NotificationConfiguration": _put_notifications,
}


def create_bucket(ctx: Context, logical_id: str, properties: dict[str, Any]) -> None:
    name = ctx.physical_name(logical_id, properties.get("BucketName"), bucket=True)
    client = ctx.s3
    if name not in {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}:
        # A restart against a running endpoint keeps the objects; us-east-1 takes no location constraint.
        location = {"LocationConstraint": ctx.region} if ctx.region != "us-east-1" else None
        client.create_bucket(Bucket=name, **({"CreateBucketConfiguration": location} if location else {}))  # type: ignore[arg-type]
    for key, configure in _CONFIGURATIONS.items():
        if key in properties:
            configure(client, name, properties[key])
    ctx.names.set_resource(
        logical_id,
        name,
        Arn=f"arn:aws:s3:::{name}",
        DomainName=f"{name}.s3.amazonaws.com",
        RegionalDomainName=f"{name}.s3.{ctx.region}.amazonaws.com",
        DualStackDomainName=f"{name}.s3.dualstack.{ctx.region}.amazonaws.com",
        WebsiteURL=f"http://{name}.s3-website-{ctx.region}.amazonaws.com",
    )
