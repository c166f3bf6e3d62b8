"""Names for resources the local stack does not create (functions, log groups, APIs, policies, roles...).

They still need a Ref and an Arn so that environment variables and outputs referring to them resolve.
"""

from __future__ import annotations

from typing import Any

from devstack.intrinsics import as_text
from devstack.provisioners.context import Context

_NAME_PROPERTIES = ("FunctionName", "LogGroupName", "Name", "TopicName", "RoleName", "StateMachineName")
_ARN_SERVICES = {"Serverless": "lambda", "Logs": "logs", "IAM": "iam", "ApiGatewayV2": "apigateway"}


def _arn(ctx: Context, resource_type: str, name: str) -> str:
    service_part = resource_type.split("::")[1]
    service = _ARN_SERVICES.get(service_part, service_part.lower())
    if resource_type == "AWS::Serverless::Function":
        return ctx.arn("lambda", f"function:{name}")
    if resource_type == "AWS::Logs::LogGroup":
        return ctx.arn("logs", f"log-group:{name}:*")
    if resource_type.endswith("Api"):
        return f"arn:aws:apigateway:{ctx.region}::/apis/{name}"
    return ctx.arn(service, name)


def create_placeholder(ctx: Context, logical_id: str, resource_type: str, properties: dict[str, Any]) -> None:
    explicit = next((properties[key] for key in _NAME_PROPERTIES if isinstance(properties.get(key), str)), None)
    if resource_type.endswith("Api"):
        # An API's Ref is its id; outputs built from it (ApiUrl) are rewritten to the local gateway's URL.
        name = logical_id.lower()
    else:
        name = ctx.physical_name(logical_id, as_text(explicit) if explicit else None)
    arn = _arn(ctx, resource_type, name)
    ctx.names.set_resource(logical_id, name, Arn=arn)
    alias = properties.get("AutoPublishAlias")
    if resource_type == "AWS::Serverless::Function" and alias:
        # SAM's `!Ref Function.Alias` and `!Ref Function.Version`: the local stack runs one version, the code.
        ctx.names.set_resource(logical_id, name, Arn=arn, Alias=f"{arn}:{as_text(alias)}", Version=f"{arn}:1")
