"""E9005: every data store is encrypted, recoverable and closed to the public."""

from typing import Any, ClassVar

from cfnlint.rules import CloudFormationLintRule, RuleMatch

PUBLIC_ACCESS_BLOCKS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


def table_problems(properties: dict[str, Any]) -> list[str]:
    problems = []
    if properties.get("SSESpecification", {}).get("SSEEnabled") is not True:
        problems.append("SSESpecification.SSEEnabled must be true")
    if properties.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled") is not True:
        problems.append("point-in-time recovery must be enabled")
    return problems


def queue_problems(properties: dict[str, Any]) -> list[str]:
    if properties.get("SqsManagedSseEnabled") is False or (
        "KmsMasterKeyId" not in properties and properties.get("SqsManagedSseEnabled") is not True
    ):
        return ["SqsManagedSseEnabled or KmsMasterKeyId must be set"]
    return []


def bucket_problems(properties: dict[str, Any]) -> list[str]:
    problems = []
    blocks = properties.get("PublicAccessBlockConfiguration", {})
    problems += [
        f"PublicAccessBlockConfiguration.{name} must be true"
        for name in PUBLIC_ACCESS_BLOCKS
        if blocks.get(name) is not True
    ]
    if "BucketEncryption" not in properties:
        problems.append("BucketEncryption must be set")
    return problems


CHECKS = {
    "AWS::DynamoDB::Table": table_problems,
    "AWS::SQS::Queue": queue_problems,
    "AWS::S3::Bucket": bucket_problems,
}


class DataStoresProtected(CloudFormationLintRule):
    id = "E9005"
    shortdesc = "Data stores are encrypted and protected"
    description = (
        "Tables: SSE and PITR. Queues: server-side encryption. Buckets: encryption and all public-access blocks."
    )
    source_url = "https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/protecting-data-at-rest.html"
    tags: ClassVar[list[str]] = ["security", "project"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for name, resource in cfn.get_resources(list(CHECKS)).items():
            for problem in CHECKS[resource["Type"]](resource.get("Properties", {})):
                matches.append(RuleMatch(["Resources", name, "Properties"], f"{name}: {problem}"))
        return matches
