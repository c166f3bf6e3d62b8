"""AWS::Cognito::UserPool and AWS::Cognito::UserPoolClient, found again by name on restart."""

from __future__ import annotations

from typing import Any

from devstack.provisioners.context import Context, api_arguments


def _existing_pool(ctx: Context, name: str) -> str | None:
    pages = ctx.cognito.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": 60})
    return next((pool["Id"] for page in pages for pool in page["UserPools"] if pool["Name"] == name), None)


def create_user_pool(ctx: Context, logical_id: str, properties: dict[str, Any]) -> None:
    name = ctx.physical_name(logical_id, properties.get("UserPoolName"))
    pool_id = _existing_pool(ctx, name)
    if pool_id is None:
        arguments = api_arguments(ctx.cognito, "CreateUserPool", {**properties, "PoolName": name})
        pool_id = ctx.cognito.create_user_pool(**arguments)["UserPool"]["Id"]
    provider = f"cognito-idp.{ctx.region}.amazonaws.com/{pool_id}"
    ctx.names.set_resource(
        logical_id,
        pool_id,
        Arn=ctx.arn("cognito-idp", f"userpool/{pool_id}"),
        ProviderName=provider,
        ProviderURL=f"https://{provider}",
        UserPoolId=pool_id,
    )


def _existing_client(ctx: Context, pool_id: str, name: str) -> dict[str, Any] | None:
    pages = ctx.cognito.get_paginator("list_user_pool_clients").paginate(
        UserPoolId=pool_id, PaginationConfig={"PageSize": 60}
    )
    found = next((c for page in pages for c in page["UserPoolClients"] if c.get("ClientName") == name), None)
    if found is None:
        return None
    return dict(ctx.cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=found["ClientId"])["UserPoolClient"])


def create_user_pool_client(ctx: Context, logical_id: str, properties: dict[str, Any]) -> None:
    pool_id = str(properties["UserPoolId"])
    name = ctx.physical_name(logical_id, properties.get("ClientName"))
    client = _existing_client(ctx, pool_id, name)
    if client is None:
        arguments = api_arguments(ctx.cognito, "CreateUserPoolClient", {**properties, "ClientName": name})
        client = dict(ctx.cognito.create_user_pool_client(**arguments)["UserPoolClient"])
    ctx.names.set_resource(logical_id, client["ClientId"], ClientSecret=client.get("ClientSecret", ""), Name=name)
