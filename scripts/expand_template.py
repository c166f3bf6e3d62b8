"""Expands template.yaml with the SAM translator (as CloudFormation would) for cfn-lint, checkov and the tests.

    expand_template.py TEMPLATE OUTPUT [Name=Value ...]   one parameter set (defaults for the rest)
    expand_template.py --matrix TEMPLATE DIRECTORY        every set of scripts/parameter_sets.py, one file each

Runs in its own environment (`uv run --no-project --with aws-sam-translator`): the translator pins pydantic below
what the functions use. The translator sees what CloudFormation gives it: the parameter values, and conditions
unresolved except in DeletionPolicy/UpdateReplacePolicy (AWS::LanguageExtensions resolves those first). Its output
is then resolved for the parameter set (conditions, Fn::If, AWS::NoValue), so each file is exactly what one stack
deploys. Metadata is passed through so that checkov sees the justified skips on the generated resources.
"""

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devstack.intrinsics import Intrinsics  # noqa: E402 - stdlib only, shared with the local stack
from scripts.parameter_sets import parameter_sets  # noqa: E402

NO_VALUE = object()


class OfflinePolicyLoader(ManagedPolicyLoader):
    """Managed policy names resolved to their ARNs without calling IAM (there is no account here)."""

    def __init__(self) -> None:
        pass

    def load(self) -> dict[str, str]:
        return {}


def parameter_values(template: dict[str, Any], overrides: dict[str, str]) -> dict[str, Any]:
    unknown = set(overrides) - set(template.get("Parameters", {}))
    if unknown:
        sys.exit(f"unknown parameters: {sorted(unknown)}")
    values: dict[str, Any] = {}
    for name, spec in template.get("Parameters", {}).items():
        value = str(overrides.get(name, spec.get("Default", "")))
        values[name] = value.split(",") if spec.get("Type") == "CommaDelimitedList" else value
    return values


def conditions_of(template: dict[str, Any], values: dict[str, Any]) -> Intrinsics:
    pseudo = {
        "AWS::Region": os.environ["AWS_DEFAULT_REGION"],
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
    }
    return Intrinsics(parameters=values, conditions=template.get("Conditions", {}), mappings={}, pseudo=pseudo)


def _without_no_values(items: Any) -> Any:
    if isinstance(items, dict):
        return {key: item for key, item in items.items() if item is not NO_VALUE}
    return [item for item in items if item is not NO_VALUE]


def resolved(value: Any, intrinsics: Intrinsics) -> Any:
    """value with every Fn::If decided and every AWS::NoValue removed."""
    if isinstance(value, list):
        return _without_no_values([resolved(item, intrinsics) for item in value])
    if not isinstance(value, dict):
        return value
    if list(value) == ["Fn::If"]:
        name, when_true, when_false = value["Fn::If"]
        return resolved(when_true if intrinsics.condition(name) else when_false, intrinsics)
    if value == {"Ref": "AWS::NoValue"}:
        return NO_VALUE
    return _without_no_values({key: resolved(item, intrinsics) for key, item in value.items()})


def resolve_policy_attributes(template: dict[str, Any], intrinsics: Intrinsics) -> None:
    for resource in template.get("Resources", {}).values():
        for attribute in ("DeletionPolicy", "UpdateReplacePolicy"):
            if attribute in resource:
                resource[attribute] = resolved(resource[attribute], intrinsics)


def deployed_entries(entries: dict[str, Any], intrinsics: Intrinsics) -> dict[str, Any]:
    """Resources or outputs whose Condition holds, without the Condition."""
    kept = {
        name: {key: value for key, value in entry.items() if key != "Condition"}
        for name, entry in entries.items()
        if "Condition" not in entry or intrinsics.condition(entry["Condition"])
    }
    return dict(resolved(kept, intrinsics))


def resolve_conditions(template: dict[str, Any], intrinsics: Intrinsics) -> dict[str, Any]:
    """The template one stack with these parameters deploys: no Conditions left to evaluate."""
    result = dict(template)
    for section in ("Resources", "Outputs"):
        result[section] = deployed_entries(template.get(section, {}), intrinsics)
    result.pop("Conditions", None)
    # Rules and the parameters only conditions used have been decided: what is left is this stack's interface.
    result.pop("Rules", None)
    used = json.dumps([result["Resources"], result["Outputs"]])
    result["Parameters"] = {
        name: spec
        for name, spec in template.get("Parameters", {}).items()
        # a Ref or a ${Name} in a Sub: a property that only shares the name ("Stage": "$default") is no use
        if f'{{"Ref": "{name}"}}' in used or "${" + name + "}" in used
    }
    return result


def _packaged(properties: dict[str, Any], name: str, uri: str) -> None:
    # A URI already on S3 is what `sam package` made of it (a test's stand-in for changed code): kept as it is.
    if name in properties and not str(properties[name]).startswith("s3://"):
        properties[name] = uri


def package_code(template: dict[str, Any]) -> None:
    """Points local CodeUri and ContentUri (layer) paths at S3, as `sam package` does before CloudFormation."""
    _packaged(template.get("Globals", {}).get("Function", {}), "CodeUri", "s3://packaged-code/code.zip")
    for resource in template.get("Resources", {}).values():
        _packaged(resource.get("Properties", {}), "CodeUri", "s3://packaged-code/code.zip")
        _packaged(resource.get("Properties", {}), "ContentUri", "s3://packaged-code/layer.zip")


def expand(source: Path, overrides: dict[str, str]) -> dict[str, Any]:
    template = yaml_parse(source.read_text())
    template["Transform"] = "AWS::Serverless-2016-10-31"
    values = parameter_values(template, overrides)
    intrinsics = conditions_of(template, values)
    resolve_policy_attributes(template, intrinsics)
    package_code(template)
    try:
        expanded = transform(template, values, OfflinePolicyLoader(), passthrough_metadata=True)
    except InvalidDocumentException as error:
        sys.exit("\n".join(cause.message for cause in error.causes))
    # The translator may add conditions of its own: evaluate against its output's Conditions section.
    return resolve_conditions(expanded, conditions_of(expanded, values))


def write(target: Path, template: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(template, indent=2, default=str))


def main(arguments: list[str]) -> None:
    # Only pseudo parameters such as AWS::Region need a region; nothing here calls AWS.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    logging.disable(logging.WARNING)  # the translator's feature-toggle and metrics chatter
    if arguments[0] == "--matrix":
        source, directory = Path(arguments[1]), Path(arguments[2])
        for name, values in parameter_sets().items():
            write(directory / f"{name}.json", expand(source, values))
        return
    overrides = dict(argument.split("=", 1) for argument in arguments[2:])
    write(Path(arguments[1]), expand(Path(arguments[0]), overrides))


if __name__ == "__main__":
    main(sys.argv[1:])
