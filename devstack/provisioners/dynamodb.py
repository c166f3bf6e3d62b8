"""AWS::DynamoDB::Table: keys, indexes, billing, stream, TTL, point-in-time recovery, resource policy."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from devstack.provisioners.context import Context, api_arguments

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# CloudFormation spells a few settings differently from the CreateTable API.
_CONVERSIONS: dict[str, Callable[[Any], Any]] = {
    "StreamSpecification": lambda spec: {"StreamEnabled": True, **spec},
    "SSESpecification": lambda sse: {"Enabled": sse.get("SSEEnabled", False), **sse},
}


def _create_arguments(ctx: Context, name: str, properties: dict[str, Any]) -> dict[str, Any]:
    converted = {key: _CONVERSIONS.get(key, lambda value: value)(value) for key, value in properties.items()}
    converted.pop("ResourcePolicy", None)  # moto ignores it in CreateTable: put separately
    return api_arguments(ctx.dynamodb, "CreateTable", {**converted, "TableName": name})


def _configure_new_table(client: DynamoDBClient, name: str, properties: dict[str, Any]) -> None:
    ttl = properties.get("TimeToLiveSpecification", {})
    if ttl.get("Enabled"):
        client.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]}
        )
    if properties.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled"):
        client.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )


def create_table(ctx: Context, logical_id: str, properties: dict[str, Any]) -> None:
    name = ctx.physical_name(logical_id, properties.get("TableName"))
    client = ctx.dynamodb
    if name not in client.list_tables()["TableNames"]:  # a restart against a running endpoint keeps its data
        client.create_table(**_create_arguments(ctx, name, properties))
        _configure_new_table(client, name, properties)
    table = client.describe_table(TableName=name)["Table"]
    if "ResourcePolicy" in properties:
        policy = json.dumps(properties["ResourcePolicy"]["PolicyDocument"])
        client.put_resource_policy(ResourceArn=table["TableArn"], Policy=policy)
    stream = {"StreamArn": table["LatestStreamArn"]} if "LatestStreamArn" in table else {}
    ctx.names.set_resource(logical_id, name, Arn=table["TableArn"], **stream)
