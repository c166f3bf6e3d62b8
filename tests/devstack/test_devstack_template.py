"""template.yaml as the local stack reads it: Globals, conditions, routes, authorizer and intrinsics."""

from pathlib import Path

import pytest

from devstack.names import Names
from devstack.template import load_template


def fake_names() -> Names:
    """A physical name and ARN for every resource of the template, as provision() would return."""
    names = Names()
    for logical_id in load_template(region="us-east-1").resources():
        names.set_resource(
            logical_id, f"{logical_id}-physical", Arn=f"arn:{logical_id}", StreamArn=f"stream:{logical_id}"
        )
    names.update({"UserPool": "us-east-1_pool", "UserPoolClient": "client-id"})
    return names


NAMES = fake_names()


def test_function_environment_merges_globals_and_resolves_refs() -> None:
    environment = load_template().function_environment("ItemsWriteFunction", NAMES)

    assert environment["ITEMS_TABLE_NAME"] == "ItemsTable-physical"
    assert environment["IDEMPOTENCY_TABLE_NAME"] == "IdempotencyTable-physical"
    assert environment["POWERTOOLS_SERVICE_NAME"] == "items"


def test_functions_carry_handler_timeout_memory_and_code_uri() -> None:
    function = load_template().functions()["HealthFunction"]

    assert function.handler == "app.handlers.api.handler"
    assert function.timeout == 10
    assert function.memory_size == 1024
    assert function.code_uri == Path(__file__).resolve().parents[2] / "src"


def test_routes_take_the_default_authorizer_unless_overridden() -> None:
    routes = {route.route_key: route for route in load_template().routes()}

    assert routes["GET /health"].authorizer is None
    assert routes["GET /items/{id}"].authorizer == "JwtAuthorizer"
    assert routes["GET /items/{id}"].function_id == "ItemsReadFunction"


def test_jwt_issuer_and_audience_resolve_to_the_cognito_pool() -> None:
    template = load_template(region="eu-west-1")
    authorizer = template.resolve(template.http_api().authorizers["JwtAuthorizer"], NAMES)

    assert authorizer["JwtConfiguration"] == {
        "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_pool",
        "audience": ["client-id"],
    }


def test_conditions_follow_parameter_overrides() -> None:
    template = load_template(parameters={"JwtIssuer": "https://idp.example.com", "JwtAudience": "aud"})

    assert "UserPool" not in template.resources_of_type("AWS::Cognito::UserPool")
    authorizer = template.resolve(template.http_api().authorizers["JwtAuthorizer"], NAMES)
    assert authorizer["JwtConfiguration"] == {"issuer": "https://idp.example.com", "audience": ["aud"]}


def test_no_value_drops_the_property() -> None:
    template = load_template()
    properties = template.resources_of_type("AWS::Serverless::Function")["HealthFunction"]

    assert "ReservedConcurrentExecutions" not in template.resolve(properties, NAMES)


def test_unknown_parameter_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown template parameters"):
        load_template(parameters={"Nope": "1"})
