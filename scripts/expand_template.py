"""Expands template.yaml with the SAM translator (as CloudFormation would) for checkov and reviews.

Runs in its own environment (`uv run --no-project --with aws-sam-translator`): the translator pins pydantic
below what the functions use. Conditions of AWS::LanguageExtensions (DeletionPolicy: !If) are resolved with
the parameter values (the defaults, which is what the dev stage deploys, unless `--parameter Stage=prod`).
Metadata is passed through so that checkov sees the justified skips on the generated resources.

Usage: expand_template.py SOURCE TARGET [--parameter Name=Value ...]
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class OfflinePolicyLoader(ManagedPolicyLoader):
    """Managed policy names resolved to their ARNs without calling IAM (there is no account here)."""

    def __init__(self) -> None:
        pass

    def load(self) -> dict[str, str]:
        return {}


def resolve_policy_attributes(template: dict[str, Any], parameters: dict[str, str]) -> None:
    conditions = {"IsProd": parameters.get("Stage") == "prod"}
    for resource in template.get("Resources", {}).values():
        for attribute in ("DeletionPolicy", "UpdateReplacePolicy"):
            value = resource.get(attribute)
            if isinstance(value, dict) and "Fn::If" in value:
                name, when_true, when_false = value["Fn::If"]
                resource[attribute] = when_true if conditions.get(name) else when_false


def package_code(template: dict[str, Any]) -> None:
    """Points local CodeUri paths at S3, as `sam package` does before CloudFormation sees the template."""
    function_globals = template.get("Globals", {}).get("Function", {})
    if "CodeUri" in function_globals:
        function_globals["CodeUri"] = "s3://packaged-code/code.zip"
    for resource in template.get("Resources", {}).values():
        if "CodeUri" in resource.get("Properties", {}):
            resource["Properties"]["CodeUri"] = "s3://packaged-code/code.zip"


def main(source: Path, target: Path, parameters: dict[str, str]) -> None:
    # Only pseudo parameters such as AWS::Region need a region; nothing here calls AWS.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    template = yaml_parse(source.read_text())
    template["Transform"] = "AWS::Serverless-2016-10-31"
    resolve_policy_attributes(template, parameters)
    package_code(template)
    try:
        expanded = transform(template, parameters, OfflinePolicyLoader(), passthrough_metadata=True)
    except InvalidDocumentException as error:
        sys.exit("\n".join(cause.message for cause in error.causes))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(expanded, indent=2, default=str))


if __name__ == "__main__":
    arguments = sys.argv[3:]
    if len(arguments) % 2 or any(flag != "--parameter" for flag in arguments[::2]):
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), dict(value.split("=", 1) for value in arguments[1::2]))
