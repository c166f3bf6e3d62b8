"""template.yaml deployed with `sam deploy` and the CDK app deployed with `cdk deploy` are the same stack: both
expand (SAM translator) to the same template under every parameter set; a user's construct is exactly a diff."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_apigatewayv2, aws_cloudwatch

from cdk.service.stack import ServiceStack
from scripts.expand_template import expand
from scripts.parameter_sets import parameter_sets
from tests.cdk.conftest import same_form, without_cdk, written

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("parameter_set", sorted(parameter_sets()))
def test_the_synth_expands_to_what_template_yaml_expands_to(
    parameter_set: str, expanded_template: dict[str, dict[str, Any]], expanded_synth: dict[str, dict[str, Any]]
) -> None:
    assert expanded_synth[parameter_set] == expanded_template[parameter_set]


def add_alarm_and_route(stack: ServiceStack) -> set[str]:
    """What a user adds in cdk/app.py: an alarm on the API's 4xx and a route to the health function's alias."""
    api_id = stack.service.resource("HttpApi").ref
    alarm = aws_cloudwatch.CfnAlarm(
        stack, "ClientErrorsAlarm", comparison_operator="GreaterThanThreshold", evaluation_periods=1,
        metric_name="4xx", namespace="AWS/ApiGateway", statistic="Sum", period=300, threshold=100,
        dimensions=[aws_cloudwatch.CfnAlarm.DimensionProperty(name="ApiId", value=api_id)],
        alarm_actions=[stack.service.resource("AlarmTopic").ref],
    )  # fmt: skip
    integration = aws_apigatewayv2.CfnIntegration(
        stack, "VersionIntegration", api_id=api_id, integration_type="AWS_PROXY", payload_format_version="2.0",
        integration_uri=cdk.Fn.sub("${HealthFunction.Arn}:live"),
    )  # fmt: skip
    route = aws_apigatewayv2.CfnRoute(
        stack, "VersionRoute", api_id=api_id, route_key="GET /version", target=f"integrations/{integration.ref}"
    )
    return {stack.get_logical_id(construct) for construct in (alarm, integration, route)}


def test_a_user_extension_is_exactly_the_diff(tmp_path: Path, expanded_synth: dict[str, dict[str, Any]]) -> None:
    app = cdk.App(outdir=str(tmp_path / "cdk.out"), context={"@aws-cdk/core:validateAgainstDefaultRules": True})
    stack = ServiceStack(app, "ServiceStack")
    added = add_alarm_and_route(stack)
    synthesized = app.synth().get_stack_by_name("ServiceStack").template
    name, values = next(iter(parameter_sets().items()))

    extended = same_form(expand(written(without_cdk(synthesized), tmp_path), values))

    base = expanded_synth[name]["Resources"]
    assert set(extended["Resources"]) - set(base) == added
    assert {key: value for key, value in extended["Resources"].items() if key not in added} == base
    assert {key: value for key, value in extended.items() if key != "Resources"} == {
        key: value for key, value in expanded_synth[name].items() if key != "Resources"
    }


def test_the_synth_passes_cfn_lint_with_the_project_rules(synthesized_file: Path) -> None:
    # What `cdk deploy` sends, CDK's bootstrap parameter and asset locations included (a mutation removing the
    # items table's SSESpecification fails it with E9005).
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    command = [str(cfn_lint), str(synthesized_file), "--append-rules", str(ROOT / "cfn_rules")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
