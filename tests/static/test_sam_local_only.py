"""What only `sam local` may get (a local AWS endpoint, tokens verified by the function) is absent when deployed.

The template is expanded by scripts/expand_template.py (the SAM translator, as CloudFormation would) under each
deployable parameter set: the template's defaults and every `sam deploy` configuration of samconfig.toml. The
conditions of the expanded template are then evaluated for those parameters, as CloudFormation does.
"""

import json
import os
import shlex
import subprocess
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from devstack.intrinsics import Intrinsics
from devstack.template import load_template

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCAL_ONLY_VARIABLES = {"AWS_ENDPOINT_URL", "LOCAL_JWT_ISSUER", "LOCAL_JWT_AUDIENCE", "LOCAL_JWKS_URL"}
SAM_LOCAL = {"LocalAwsEndpointUrl": "http://host.docker.internal:5000"}


def deployable_parameter_sets() -> dict[str, dict[str, str]]:
    """The template's defaults and the parameter_overrides of every `sam deploy --config-env` in samconfig.toml."""
    config = tomllib.loads((REPO_ROOT / "samconfig.toml").read_text())
    sets: dict[str, dict[str, str]] = {"template defaults": {}}
    for environment, commands in config.items():
        if not isinstance(commands, dict) or "deploy" not in commands:
            continue
        overrides = shlex.split(commands["deploy"]["parameters"].get("parameter_overrides", ""))
        sets[f"sam deploy --config-env {environment}"] = dict(item.split("=", 1) for item in overrides)
    return sets


def expand(parameters: dict[str, str], target: Path) -> dict[str, Any]:
    flags = [argument for name, value in parameters.items() for argument in ("--parameter", f"{name}={value}")]
    command = [os.environ.get("UV", "uv"), "run", "--no-project", "--with", "aws-sam-translator==1.115.0", "python"]
    subprocess.run(
        [*command, "scripts/expand_template.py", "template.yaml", str(target), *flags],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    expanded: dict[str, Any] = json.loads(target.read_text())
    return expanded


def intrinsics_for(expanded: dict[str, Any], parameters: dict[str, str]) -> Intrinsics:
    declared = expanded["Parameters"]
    values = {name: parameters.get(name, str(spec.get("Default", ""))) for name, spec in declared.items()}
    pseudo = {"AWS::Region": "eu-west-1", "AWS::AccountId": "111122223333", "AWS::StackName": "items"}
    return Intrinsics(parameters=values, conditions=expanded["Conditions"], mappings={}, pseudo=pseudo)


def deployed_environments(expanded: dict[str, Any], parameters: dict[str, str]) -> dict[str, set[str]]:
    """Function logical id -> the names of the environment variables CloudFormation would give it."""
    intrinsics = intrinsics_for(expanded, parameters)
    names: dict[str, str] = {
        logical_id: f"{logical_id}-physical-id" for logical_id in expanded["Resources"]
    }  # every Ref resolves, whatever its value
    environments = {}
    for logical_id, resource in expanded["Resources"].items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        variables = resource["Properties"].get("Environment", {}).get("Variables", {})
        environments[logical_id] = set(intrinsics.resolve(variables, names))
    return environments


def rules_refuse(expanded: dict[str, Any], parameters: dict[str, str]) -> list[str]:
    """The AssertDescription of every rule CloudFormation would refuse the parameters with."""
    intrinsics = intrinsics_for(expanded, parameters)
    refused = []
    for rule in expanded.get("Rules", {}).values():
        if "RuleCondition" in rule and not intrinsics.resolve(rule["RuleCondition"], {}):
            continue
        refused += [
            check["AssertDescription"] for check in rule["Assertions"] if not intrinsics.resolve(check["Assert"], {})
        ]
    return refused


@pytest.fixture(scope="module")
def expansions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, str], dict[str, Any]]]:
    directory = tmp_path_factory.mktemp("expanded")
    sets = {**deployable_parameter_sets(), "sam local": SAM_LOCAL}
    with ThreadPoolExecutor(max_workers=len(sets)) as pool:
        futures = {
            label: pool.submit(expand, parameters, directory / f"{index}.json")
            for index, (label, parameters) in enumerate(sets.items())
        }
        return {label: (sets[label], future.result()) for label, future in futures.items()}


def test_samconfig_deploys_dev_and_prod() -> None:
    sets = deployable_parameter_sets()

    assert {"Stage=dev", "Stage=prod"} <= {f"Stage={p.get('Stage')}" for p in sets.values()}


def test_deployed_functions_never_get_the_sam_local_variables(expansions: dict[str, Any]) -> None:
    for label, (parameters, expanded) in expansions.items():
        if label == "sam local":
            continue
        for function, variables in deployed_environments(expanded, parameters).items():
            assert not variables & LOCAL_ONLY_VARIABLES, f"{function} under {label}"
        assert not rules_refuse(expanded, parameters), label


def test_sam_local_gives_the_api_functions_what_verifies_tokens(expansions: dict[str, Any]) -> None:
    parameters, expanded = expansions["sam local"]

    environments = deployed_environments(expanded, parameters)

    for function in ("ItemsReadFunction", "ItemsWriteFunction", "JobsFunction"):
        assert environments[function] >= LOCAL_ONLY_VARIABLES, function


def test_a_prod_stack_refuses_a_local_endpoint(expansions: dict[str, Any]) -> None:
    _, expanded = expansions["sam local"]

    assert rules_refuse(expanded, {"Stage": "prod", **SAM_LOCAL})
    assert not rules_refuse(expanded, {"Stage": "dev", **SAM_LOCAL})


def test_no_route_declares_authorization_scopes() -> None:
    # The functions verify tokens under sam local with no scopes (app/api/dependencies.py): a route or authorizer
    # with AuthorizationScopes must first teach them its scopes, or sam local would let through what AWS refuses.
    template = load_template(region="us-east-1")

    assert [route.route_key for route in template.routes() if route.scopes] == []
    for api in template.http_apis().values():
        assert all("AuthorizationScopes" not in authorizer for authorizer in api.authorizers.values())
