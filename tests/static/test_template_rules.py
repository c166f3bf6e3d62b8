"""The template's Rules and parameter constraints refuse contradictory parameters before anything is deployed.

CloudFormation evaluates Rules on the parameter values; this evaluates them the same way (Fn::Equals, Fn::Not,
Fn::And, Fn::Or, Fn::Contains on parameter values) over the template's own Rules section.
"""

import re
from typing import Any

import pytest

from devstack.intrinsics import as_text
from devstack.template import Template, load_template
from scripts.parameter_sets import CUSTOM_DOMAIN, TRACING_MODES, parameter_sets

CERTIFICATE = CUSTOM_DOMAIN["ApiCertificateArn"]


def evaluate(expression: Any, values: dict[str, Any]) -> Any:
    if not isinstance(expression, dict):
        return expression
    ((function, argument),) = expression.items()
    if function == "Ref":
        return values[argument]
    arguments = [evaluate(item, values) for item in argument]
    if function == "Fn::Equals":
        return as_text(arguments[0]) == as_text(arguments[1])
    if function == "Fn::Contains":
        return as_text(arguments[1]) in [as_text(item) for item in arguments[0]]
    operations = {
        "Fn::Not": lambda: not arguments[0],
        "Fn::And": lambda: all(arguments),
        "Fn::Or": lambda: any(arguments),
    }
    return operations[function]()


def refusals(**parameters: str) -> list[str]:
    """The AssertDescriptions of every rule that fails for these parameters (defaults for the rest)."""
    template: Template = load_template(parameters=parameters)
    values = template.intrinsics.parameters
    failed = []
    for rule in template.body["Rules"].values():
        if "RuleCondition" not in rule or evaluate(rule["RuleCondition"], values):
            failed += [a["AssertDescription"] for a in rule["Assertions"] if not evaluate(a["Assert"], values)]
    return failed


def test_the_defaults_deploy() -> None:
    assert refusals() == []


def test_the_parameter_sets_cover_every_tracing_mode() -> None:
    allowed = load_template().body["Parameters"]["TracingMode"]["AllowedValues"]

    assert tuple(allowed) == TRACING_MODES
    assert {values["TracingMode"] for values in parameter_sets().values()} == set(allowed)


@pytest.mark.parametrize("name", sorted(parameter_sets()))
def test_every_checked_parameter_set_deploys(name: str) -> None:
    assert refusals(**parameter_sets()[name]) == []


@pytest.mark.parametrize(
    ("parameters", "refusal"),
    [
        ({"JwtIssuer": "https://issuer.example.org"}, "JwtAudience must be set with JwtIssuer"),
        ({"EnableSnapStart": "true", "ProvisionedConcurrency": "2"}, "does not support SnapStart and provisioned"),
        ({"VpcMode": "existing"}, "VpcMode=existing needs VpcSubnetIds"),
        ({"Stage": "prod", "CorsAllowedOrigins": "https://app.example.org"}, "Stage=prod needs AlarmEmail"),
        ({"Stage": "prod", "AlarmEmail": "a@example.org"}, "Stage=prod needs CorsAllowedOrigins"),
        (
            {"Stage": "prod", "AlarmEmail": "a@example.org", "CorsAllowedOrigins": "https://app.example.org"}
            | {"LocalAwsEndpointUrl": "http://host.docker.internal:5000"},
            "LocalAwsEndpointUrl is for sam local only",
        ),
        ({"ApiDomainName": "api.example.org"}, "ApiDomainName needs ApiCertificateArn"),
        ({"ApiHostedZoneId": "Z0123456789ABCDEFGHIJ"}, "apply to ApiDomainName only"),
        ({"ApiCertificateArn": CERTIFICATE}, "apply to ApiDomainName only"),
    ],
)
def test_contradictory_parameters_are_refused(parameters: dict[str, str], refusal: str) -> None:
    assert any(refusal in text for text in refusals(**parameters)), refusals(**parameters)


@pytest.mark.parametrize(
    ("issuer", "allowed"),
    [("", True), ("https://login.example.org/", True), ("http://login.example.org/", False), ("login", False)],
)
def test_the_issuer_is_empty_or_https(issuer: str, allowed: bool) -> None:
    pattern = load_template().body["Parameters"]["JwtIssuer"]["AllowedPattern"]

    assert (re.fullmatch(pattern, issuer) is not None) is allowed


@pytest.mark.parametrize(
    ("arn", "allowed"),
    [("", True), (CERTIFICATE, True), ("arn:aws:iam::123456789012:server-certificate/x", False), ("cert", False)],
)
def test_the_certificate_is_empty_or_an_acm_arn(arn: str, allowed: bool) -> None:
    pattern = load_template().body["Parameters"]["ApiCertificateArn"]["AllowedPattern"]

    assert (re.fullmatch(pattern, arn) is not None) is allowed


def test_self_sign_up_is_off_unless_asked_for() -> None:
    assert load_template().body["Parameters"]["AllowSelfSignUp"]["Default"] == "false"
    assert load_template().condition("SelfSignUp") is False
    assert load_template(parameters={"AllowSelfSignUp": "true"}).condition("SelfSignUp") is True
