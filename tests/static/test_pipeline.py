"""The delivery pipeline: the OIDC deploy role can only hand changes to CloudFormation, and the workflows reach
AWS through OIDC alone, with every third-party action pinned to a commit."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.decode import decode_str

from tests.static.test_cfn_rules import lint

ROOT = Path(__file__).parents[2]
PIPELINE = ROOT / "pipeline" / "template.yaml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONS = sorted((ROOT / ".github" / "actions").glob("*/action.yml"))


def pipeline() -> dict[str, Any]:
    template, errors = decode_str(PIPELINE.read_text())
    assert not errors
    return dict(template)


def statements(role: str) -> list[dict[str, Any]]:
    policies = pipeline()["Resources"][role]["Properties"]["Policies"]
    return [statement for policy in policies for statement in policy["PolicyDocument"]["Statement"]]


def actions_of(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def test_the_pipeline_template_passes_cfn_lint_with_the_project_rules() -> None:
    code, output = lint(PIPELINE)

    assert code == 0, output


def test_only_this_repository_s_environments_may_assume_the_deploy_role() -> None:
    trust = pipeline()["Resources"]["DeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]

    assert [s["Action"] for s in trust] == ["sts:AssumeRoleWithWebIdentity"]
    condition = trust[0]["Condition"]
    assert set(condition) == {"StringEquals"}
    assert condition["StringEquals"]["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    subjects = [s["Fn::Sub"] for s in condition["StringEquals"]["token.actions.githubusercontent.com:sub"]]
    assert subjects == [f"repo:${{GitHubRepository}}:environment:{env}" for env in ("dev", "prod", "preview")]


def test_the_deploy_role_creates_nothing_itself() -> None:
    allowed = {action for s in statements("DeployRole") for action in actions_of(s)}

    # cognito-idp: make verify's test users (test_the_deploy_role_administers_only_the_verification_s_test_users).
    assert {a.split(":")[0] for a in allowed} == {"cloudformation", "cognito-idp", "iam", "s3"}
    assert {a for a in allowed if a.startswith("iam:")} == {"iam:PassRole"}
    # S3: the artifacts, and emptying a jobs bucket's versions before its stack is deleted (make destroy, used by
    # preview.yml: CloudFormation deletes only an empty bucket). No bucket is created, configured or deleted.
    assert {a for a in allowed if a.startswith("s3:")} == {
        "s3:PutObject",
        "s3:GetObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "s3:GetBucketLocation",
        "s3:ListBucketVersions",
        "s3:DeleteObjectVersion",
    }
    deletes = [s for s in statements("DeployRole") if "cloudformation:DeleteStack" in actions_of(s)]
    assert [s["Resource"]["Fn::Sub"].rsplit(":", 1)[1] for s in deletes] == ["stack/${ServiceName}-pr-*/*"]


def test_cloudformation_alone_may_assume_the_execution_role() -> None:
    trust = pipeline()["Resources"]["CloudFormationExecutionRole"]["Properties"]["AssumeRolePolicyDocument"]

    assert [s["Principal"] for s in trust["Statement"]] == [{"Service": "cloudformation.amazonaws.com"}]


def uses_of(path: Path) -> list[str]:
    return re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)", path.read_text(), flags=re.MULTILINE)


@pytest.mark.parametrize("path", WORKFLOWS + ACTIONS, ids=lambda p: p.name)
def test_every_action_is_this_repository_s_or_pinned_to_a_commit(path: Path) -> None:
    pinned = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
    unpinned = [u for u in uses_of(path) if not (u.startswith("$/") or pinned.fullmatch(u))]

    assert unpinned == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_aws_is_reached_through_oidc_only(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    text = path.read_text()

    assert "aws-access-key-id" not in text
    assert "AWS_SECRET_ACCESS_KEY" not in text
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        steps = job.get("steps", [])
        assumes = any("configure-aws-credentials" in step.get("uses", "") for step in steps)
        assert (job.get("permissions", {}).get("id-token") == "write") == assumes, name
        for step in steps:
            if "configure-aws-credentials" in step.get("uses", ""):
                assert set(step["with"]) >= {"role-to-assume", "aws-region"}, name


# The IAM service each resource type of the expanded service template is created through.
IAM_SERVICE_OF = {
    "AWS::ApiGatewayV2": "apigateway",
    "AWS::CloudWatch": "cloudwatch",
    "AWS::CodeDeploy": "codedeploy",
    "AWS::Cognito": "cognito-idp",
    "AWS::DynamoDB": "dynamodb",
    "AWS::EC2": "ec2",
    "AWS::IAM": "iam",
    "AWS::KMS": "kms",
    "AWS::Lambda": "lambda",
    "AWS::Logs": "logs",
    "AWS::S3": "s3",
    "AWS::SNS": "sns",
    "AWS::SQS": "sqs",
    "AWS::SecretsManager": "secretsmanager",
    "AWS::Route53": "route53",
}


def execution_role_actions() -> set[str]:
    return {action for s in statements("CloudFormationExecutionRole") for action in actions_of(s)}


def test_the_execution_role_reaches_every_service_the_stacks_deploy_under_every_parameter_set(
    expanded: dict[str, dict[str, Any]],
) -> None:
    types = {resource["Type"] for template in expanded.values() for resource in template["Resources"].values()}
    services = {action.split(":")[0] for action in execution_role_actions()}

    unmapped = {t for t in types if t.rsplit("::", 1)[0] not in IAM_SERVICE_OF}
    missing = {t for t in types - unmapped if IAM_SERVICE_OF[t.rsplit("::", 1)[0]] not in services}
    assert (unmapped, missing) == (set(), set())
    assert {"AWS::EC2::VPCEndpoint", "AWS::EC2::FlowLog", "AWS::KMS::Key", "AWS::Lambda::Alias"} <= types


@pytest.mark.parametrize(
    "action",
    [
        "kms:CreateKey",
        "kms:PutKeyPolicy",
        "kms:EnableKeyRotation",
        "kms:ScheduleKeyDeletion",
        "ec2:CreateVpc",
        "ec2:CreateVpcEndpoint",
        "ec2:CreateFlowLogs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeVpcs",
        "lambda:PutProvisionedConcurrencyConfig",
        "lambda:GetProvisionedConcurrencyConfig",
        "lambda:DeleteProvisionedConcurrencyConfig",
    ],
)
def test_the_execution_role_may_call(action: str) -> None:
    assert action in execution_role_actions()


def passed_to(service: str) -> list[dict[str, Any]]:
    return [
        s
        for s in statements("CloudFormationExecutionRole")
        if "iam:PassRole" in actions_of(s)
        and service in s.get("Condition", {}).get("StringEquals", {}).get("iam:PassedToService", [])
    ]


@pytest.mark.parametrize("service", ["lambda.amazonaws.com", "codedeploy.amazonaws.com", "vpc-flow-logs.amazonaws.com"])
def test_the_execution_role_passes_the_stack_s_roles_to_their_service_only(service: str) -> None:
    passes = [s for s in statements("CloudFormationExecutionRole") if "iam:PassRole" in actions_of(s)]

    assert [s["Resource"]["Fn::Sub"].rsplit(":", 1)[1] for s in passed_to(service)] == ["role/${ServiceName}-*"]
    assert all("iam:PassedToService" in s.get("Condition", {}).get("StringEquals", {}) for s in passes)


def test_the_execution_role_s_attachable_managed_policies_cover_the_stacks_roles(
    expanded: dict[str, dict[str, Any]],
) -> None:
    attached = {
        arn
        for template in expanded.values()
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::IAM::Role"
        for arn in resource["Properties"].get("ManagedPolicyArns", [])
    }
    (attach,) = [s for s in statements("CloudFormationExecutionRole") if "iam:AttachRolePolicy" in actions_of(s)]
    arns = attach["Condition"]["ArnEquals"]["iam:PolicyARN"]
    allowed = {arn["Fn::Sub"].replace("${AWS::Partition}", "aws") for arn in arns}

    assert attached
    assert attached <= allowed


def test_every_resource_wildcard_of_the_execution_role_is_justified() -> None:
    role = pipeline()["Resources"]["CloudFormationExecutionRole"]
    justified = role.get("Metadata", {}).get("WildcardResourceJustifications", {})
    unscoped = [s["Sid"] for s in statements("CloudFormationExecutionRole") if s["Resource"] == "*"]

    assert unscoped
    assert all(str(justified.get(sid, "")).strip() for sid in unscoped)
    assert set(justified) == set(unscoped)


def cognito_calls_of_the_verification() -> set[str]:
    """cognito-idp actions verify/users.py calls (self.cognito.admin_create_user -> cognito-idp:AdminCreateUser)."""
    calls = re.findall(r"self\.cognito\.(\w+)\(", (ROOT / "verify" / "users.py").read_text())
    return {"cognito-idp:" + "".join(word.capitalize() for word in call.split("_")) for call in calls}


def test_the_deploy_role_administers_only_the_verification_s_test_users_in_dev_and_preview_pools() -> None:
    grants = [s for s in statements("DeployRole") if any(a.startswith("cognito-idp:") for a in actions_of(s))]

    assert len(grants) == 1
    assert set(actions_of(grants[0])) == cognito_calls_of_the_verification()
    assert grants[0]["Resource"]["Fn::Sub"].endswith(":userpool/*")
    stacks = grants[0]["Condition"]["StringLike"]["aws:ResourceTag/aws:cloudformation:stack-name"]
    assert [stack["Fn::Sub"] for stack in stacks] == ["${ServiceName}-dev", "${ServiceName}-pr-*"]
    assert list(grants[0]["Condition"]) == ["StringLike"]


def test_the_prod_pool_s_test_user_is_granted_only_when_the_operator_allows_it() -> None:
    template = pipeline()
    policy = template["Resources"]["ProdTestUserPolicy"]
    statement = policy["Properties"]["PolicyDocument"]["Statement"]

    assert policy["Condition"] == "ProdTestUser"
    assert template["Conditions"]["ProdTestUser"] == {"Fn::Equals": [{"Ref": "AllowProdTestUser"}, "true"]}
    assert template["Parameters"]["AllowProdTestUser"]["Default"] == "false"
    assert policy["Properties"]["RoleName"] == {"Ref": "DeployRole"}
    assert len(statement) == 1
    assert set(actions_of(statement[0])) == cognito_calls_of_the_verification()
    condition = statement[0]["Condition"]
    assert condition == {
        "StringEquals": {"aws:ResourceTag/aws:cloudformation:stack-name": {"Fn::Sub": "${ServiceName}-prod"}}
    }
    roles = [r for r in template["Resources"].values() if r["Type"] in ("AWS::IAM::RolePolicy", "AWS::IAM::Policy")]
    assert roles == [policy]
