"""Every change that alters what a function runs publishes a new version, so the `live` alias (and its canary)
moves to it. With AutoPublishAlias alone SAM hashes only code, environment, memory and SnapStart into the
version's logical id: a dependency upgrade (a new DependenciesLayer), a timeout or a VPC change would deploy and
leave `live` on the old version."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode_str

from tests.static.conftest import ROOT, expand

FUNCTIONS = {
    name
    for name, resource in decode_str((ROOT / "template.yaml").read_text())[0]["Resources"].items()
    if resource["Type"] == "AWS::Serverless::Function"
}


def resolved_description(version: dict[str, Any], parameters: dict[str, str]) -> str:
    description = version["Properties"].get("Description", "")
    text = description["Fn::Sub"] if isinstance(description, dict) else description
    return re.sub(r"\$\{([A-Za-z0-9]+)\}", lambda match: parameters[match[1]], text)


def versions(template: dict[str, Any], parameters: dict[str, str]) -> dict[str, tuple[str, str]]:
    """function -> the version its `live` alias points at, as CloudFormation tells versions apart: its logical id
    (SAM's hash) and its description, which Lambda cannot change in place (a new one replaces the version)."""
    resources = template["Resources"]
    values = {name: str(spec.get("Default", "")) for name, spec in template["Parameters"].items()} | parameters
    aliases = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::Alias"]
    return {
        alias["FunctionName"]["Ref"]: (
            version := alias["FunctionVersion"]["Fn::GetAtt"][0],
            resolved_description(resources[version], values),
        )
        for alias in aliases
    }


def changed(tmp_path: Path, name: str, change: Any, *parameters: str) -> dict[str, tuple[str, str]]:
    template, errors = decode_str((ROOT / "template.yaml").read_text())
    assert not errors
    change(template)
    source = tmp_path / f"{name}.json"  # intrinsics in their long form: JSON is a template too
    source.write_text(json.dumps(template))
    target = tmp_path / f"{name}-expanded.json"
    expand(str(source), str(target), *parameters)
    expanded = json.loads(target.read_text())
    expanded["Parameters"] = template["Parameters"]  # expand_template keeps only the ones resources still use
    return versions(expanded, dict(p.split("=", 1) for p in parameters))


def nothing(template: dict[str, Any]) -> None:
    pass


def new_layer(template: dict[str, Any]) -> None:
    # What `sam package` does to the layer when layer/requirements.txt changes: a new content URI.
    template["Resources"]["DependenciesLayer"]["Properties"]["ContentUri"] = "s3://packaged-code/layer-upgraded.zip"


def longer_timeout(template: dict[str, Any]) -> None:
    # The global timeout, and each function's own where it overrides it (the audit function, the worker).
    template["Globals"]["Function"]["Timeout"] += 1
    for resource in template["Resources"].values():
        if "Timeout" in resource.get("Properties", {}):
            resource["Properties"]["Timeout"] += 1


# Parameters that reach a function but not its versions: they configure the function itself (reserved concurrency)
# or its alias (provisioned concurrency, the deployment preference), which SAM applies without a new version.
NOT_VERSIONED = {"ReservedConcurrency", "ProvisionedConcurrency", "Stage"}
# Read only under `sam local` (every use sits inside !If HasLocalAwsEndpoint, and prod refuses the endpoint): a
# deployed function's configuration never changes with them.
SAM_LOCAL_ONLY = {"LocalAwsEndpointUrl", "JwtIssuer", "JwtAudience"}


def parameters_in(value: Any, conditions: dict[str, Any]) -> set[str]:
    """Parameters a value reads: Ref, ${Name} in Fn::Sub, and through the conditions of its Fn::If."""
    if isinstance(value, list):
        return set().union(*(parameters_in(v, conditions) for v in value))
    if not isinstance(value, dict):
        return set()
    found = set().union(*(parameters_in(v, conditions) for v in value.values()))
    if "Ref" in value:
        found.add(value["Ref"])
    if "Fn::Sub" in value:
        text = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
        found |= set(re.findall(r"\$\{([A-Za-z0-9]+)\}", text))
    if "Fn::If" in value:
        found |= parameters_in(conditions[value["Fn::If"][0]], conditions)
    if "Condition" in value and isinstance(value["Condition"], str):
        found |= parameters_in(conditions[value["Condition"]], conditions)
    return found


def configuration_parameters() -> dict[str, set[str]]:
    """parameter -> the functions whose configuration (Globals included) reads it; VersionDescription, the fix
    under test, is left out so that the template cannot satisfy this list by itself."""
    template, _ = decode_str((ROOT / "template.yaml").read_text())
    parameters, conditions = set(template["Parameters"]), template.get("Conditions", {})
    shared = parameters_in(template["Globals"]["Function"], conditions)
    readers: dict[str, set[str]] = {}
    for name, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = {k: v for k, v in resource["Properties"].items() if k != "VersionDescription"}
        for parameter in (shared | parameters_in(properties, conditions)) & parameters - NOT_VERSIONED - SAM_LOCAL_ONLY:
            readers.setdefault(parameter, set()).add(name)
    return readers


def another_value(name: str) -> str:
    spec = decode_str((ROOT / "template.yaml").read_text())[0]["Parameters"][name]
    default = str(spec.get("Default", ""))
    if "AllowedValues" in spec:
        return next(str(v) for v in spec["AllowedValues"] if str(v) != default)
    return str(int(default) + 1) if spec["Type"] == "Number" else "changed-value"


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    return changed(tmp_path_factory.mktemp("versions"), "before", nothing)


@pytest.mark.parametrize(("name", "change"), [("layer", new_layer), ("timeout", longer_timeout)])
def test_a_changed_layer_or_timeout_publishes_a_new_version_of_every_function(
    before: dict[str, tuple[str, str]], tmp_path: Path, name: str, change: Any
) -> None:
    after = changed(tmp_path, name, change)

    assert set(after) == set(before) == FUNCTIONS
    assert {f for f in after if after[f] == before[f]} == set()


def test_the_vpc_snapstart_and_limits_are_among_the_parameters_checked() -> None:
    template, _ = decode_str((ROOT / "template.yaml").read_text())
    local_only = {p for p in SAM_LOCAL_ONLY if p in str(template["Globals"]["Function"]["Environment"])}

    assert local_only == SAM_LOCAL_ONLY  # each exemption still names a parameter the functions read
    assert {"VpcMode", "VpcSubnetIds", "VpcSecurityGroupIds", "EnableSnapStart"} <= set(configuration_parameters())


@pytest.mark.parametrize(("parameter", "readers"), sorted(configuration_parameters().items()))
def test_a_changed_parameter_publishes_a_new_version_of_each_function_that_reads_it(
    before: dict[str, tuple[str, str]], tmp_path: Path, parameter: str, readers: set[str]
) -> None:
    after = changed(tmp_path, parameter, nothing, f"{parameter}={another_value(parameter)}")

    assert {f for f in readers if after[f] == before[f]} == set()


def test_an_unchanged_template_keeps_every_version(before: dict[str, tuple[str, str]], tmp_path: Path) -> None:
    # The other side of the check: without a change nothing is republished (the ids are stable, not random).
    assert changed(tmp_path, "again", nothing) == before
