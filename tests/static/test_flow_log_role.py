"""VpcMode=new: the role the VPC flow log delivers with allows what AWS lists as its minimum, on the flow log's own
log group (docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html), evaluated as IAM does."""

from typing import Any

from devstack.intrinsics import Intrinsics
from tests.static import cloudformation_needs as needs
from tests.static.iam_policy import granting, statements_of

MINIMUM = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
)


def request_resource(action: str, log_group: str) -> str:
    """What IAM authorizes `action` on: "*" for an action that takes no resource, else the group's log stream."""
    return "*" if not needs.arn_formats(action) else f"{log_group}:log-stream:eni-0a1b2c3d-all"


def denied_minimum(template: dict[str, Any]) -> list[str]:
    log_group = f"arn:aws:logs:{needs.REGION}:{needs.ACCOUNT}:log-group:items-dev-VpcFlowLogGroup-1A2B3C"
    pseudo = {"AWS::Region": needs.REGION, "AWS::AccountId": needs.ACCOUNT, "AWS::Partition": "aws"}
    intrinsics = Intrinsics(parameters={}, conditions={}, mappings={}, pseudo=pseudo)
    # The Arn attribute of AWS::Logs::LogGroup ends in ":*" (every stream of the group).
    policies = intrinsics.resolve(
        template["Resources"]["VpcFlowLogRole"]["Properties"]["Policies"], {"VpcFlowLogGroup.Arn": f"{log_group}:*"}
    )
    role = [statement for policy in policies for statement in statements_of(policy["PolicyDocument"])]
    return [action for action in MINIMUM if not granting(role, action, request_resource(action, log_group))]


def test_the_flow_log_role_allows_what_aws_lists_as_the_minimum(expanded: dict[str, dict[str, Any]]) -> None:
    with_flow_logs = {name: t for name, t in expanded.items() if "VpcFlowLogRole" in t["Resources"]}

    assert with_flow_logs
    assert {name: denied for name, t in with_flow_logs.items() if (denied := denied_minimum(t))} == {}
