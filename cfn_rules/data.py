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


def _named(function: str, argument: Any) -> set[str]:
    if function == "Ref" and isinstance(argument, str):
        return {argument.split(".")[0]}
    if function == "Fn::GetAtt":
        return {str(argument.split(".")[0] if isinstance(argument, str) else argument[0])}
    if function == "Fn::Sub":
        text = argument[0] if isinstance(argument, list) else argument
        return {part.split("}")[0].split(".")[0] for part in str(text).split("${")[1:]}
    return set()


def table_references(value: Any) -> set[str]:
    """Logical ids named by Ref, GetAtt or Sub anywhere in value."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            found |= _named(key, item) | table_references(item)
    elif isinstance(value, list):
        for item in value:
            found |= table_references(item)
    return found


class TableNamesFromEnvironment(CloudFormationLintRule):
    id = "E9008"
    shortdesc = "Table names come from the environment"
    description = (
        "Tables get names from CloudFormation (no TableName), so code cannot hard-code one; a function whose policies "
        "name a table receives its name in an environment variable."
    )
    source_url = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html"
    tags: ClassVar[list[str]] = ["dynamodb", "lambda", "project"]

    def match(self, cfn: Any) -> list[RuleMatch]:
        tables = set(cfn.get_resources(["AWS::DynamoDB::Table"]))
        matches = [
            RuleMatch(
                ["Resources", name, "Properties", "TableName"], f"{name}: TableName is set; let CloudFormation name it"
            )
            for name, resource in cfn.get_resources(["AWS::DynamoDB::Table"]).items()
            if "TableName" in resource.get("Properties", {})
        ]
        globals_ = cfn.template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
        for name, resource in cfn.get_resources(["AWS::Serverless::Function"]).items():
            properties = resource.get("Properties", {})
            variables = {**globals_, **properties.get("Environment", {}).get("Variables", {})}
            missing = (table_references(properties.get("Policies", [])) & tables) - table_references(variables)
            for table in sorted(missing):
                path = ["Resources", name, "Properties", "Environment"]
                matches.append(RuleMatch(path, f"{name}: may use {table} but no environment variable names it"))
        return matches
