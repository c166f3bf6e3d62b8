"""Creates the template's resources on moto (in-process under moto.mock_aws, or a server at endpoint_url).

Resources are created in dependency order (a dead-letter queue before the queue whose redrive policy names it,
a queue before the bucket notifying it), each with its intrinsics resolved against the names created so far.
"""

from __future__ import annotations

import contextlib
import graphlib
import re
from collections.abc import Callable, Mapping
from typing import Any

import boto3

from devstack.names import Names
from devstack.provisioners import cognito, dynamodb, s3, secrets, sqs
from devstack.provisioners.context import Context
from devstack.provisioners.placeholder import create_placeholder
from devstack.template import Template

Provisioner = Callable[[Context, str, dict[str, Any]], None]
PROVISIONERS: dict[str, Provisioner] = {
    "AWS::DynamoDB::Table": dynamodb.create_table,
    "AWS::SQS::Queue": sqs.create_queue,
    "AWS::S3::Bucket": s3.create_bucket,
    "AWS::SecretsManager::Secret": secrets.create_secret,
    "AWS::Cognito::UserPool": cognito.create_user_pool,
    "AWS::Cognito::UserPoolClient": cognito.create_user_pool_client,
}
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}.]*)")

__all__ = ["PROVISIONERS", "Names", "creation_order", "provision"]


def _named_by(function: str, argument: Any) -> set[str]:
    if function == "Ref":  # SAM's `!Ref Function.Alias` depends on the function
        return {argument.split(".")[0]} if isinstance(argument, str) else set()
    if function == "Fn::GetAtt":
        return {argument.split(".")[0] if isinstance(argument, str) else argument[0]}
    if function == "Fn::Sub":
        return set(_SUB_VARIABLE.findall(argument if isinstance(argument, str) else argument[0]))
    return set()


def references(value: Any) -> set[str]:
    """Logical ids (or parameters and pseudo parameters) that Ref, GetAtt or Sub in value point at."""
    if isinstance(value, dict):
        return set().union(*(_named_by(key, item) | references(item) for key, item in value.items()))
    if isinstance(value, list):
        return set().union(*(references(item) for item in value))
    return set()


def creation_order(resources: Mapping[str, dict[str, Any]]) -> list[str]:
    graph: dict[str, set[str]] = {}
    for logical_id, resource in resources.items():
        depends_on = resource.get("DependsOn", [])
        explicit = {depends_on} if isinstance(depends_on, str) else set(depends_on)
        properties = dict(resource.get("Properties", {}))
        if resource["Type"] == "AWS::Serverless::Function":
            # SAM makes a CodeDeploy deployment group of DeploymentPreference: its alarms watch the function, so
            # they come after it (the function itself never names them).
            properties.pop("DeploymentPreference", None)
        graph[logical_id] = (references(properties) | explicit) & set(resources)
    return list(graphlib.TopologicalSorter(graph).static_order())


def _create(ctx: Context, logical_id: str, resource: dict[str, Any]) -> None:
    provisioner = PROVISIONERS.get(resource["Type"])
    if provisioner is not None:
        provisioner(ctx, logical_id, ctx.template.resolve(resource.get("Properties", {}), ctx.names))
        return
    # A placeholder only needs a name (and an alias); its other properties may point at things we skip.
    properties = {}
    for key, value in resource.get("Properties", {}).items():
        with contextlib.suppress(KeyError, LookupError):
            properties[key] = ctx.template.resolve(value, ctx.names)
    create_placeholder(ctx, logical_id, resource["Type"], properties)


def provision(
    template: Template,
    *,
    session: boto3.session.Session | None = None,
    endpoint_url: str | None = None,
    time_scale: float = 1.0,
) -> Names:
    """Creates (or finds again) every resource and returns their names; time_scale < 1 shortens queue timeouts."""
    ctx = Context(
        template=template,
        session=session or boto3.session.Session(region_name=template.region),
        endpoint_url=endpoint_url,
        time_scale=time_scale,
    )
    ctx.names["AWS::Region"] = ctx.region
    resources = template.resources()
    for logical_id in creation_order(resources):
        _create(ctx, logical_id, resources[logical_id])
    return ctx.names
