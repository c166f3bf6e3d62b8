"""The CDK app synthesized in process (the isolated environment of `make cdk-test`), and the SAM expansions of
its output and of template.yaml under every parameter set (scripts/expand_template.py)."""

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk.service.stack import ServiceStack
from scripts.expand_template import expand
from scripts.parameter_sets import parameter_sets

ROOT = Path(__file__).parents[2]
VALIDATION = {"@aws-cdk/core:validateAgainstDefaultRules": True}
# What CDK adds to any stack: the bootstrap version check and the construct paths.
CDK_PARAMETERS = {"BootstrapVersion"}
CDK_RULES = {"CheckBootstrapVersion"}

Extension = Callable[[ServiceStack], None]


def synthesize(outdir: Path, extend: Extension | None = None) -> dict[str, Any]:
    app = cdk.App(outdir=str(outdir), context=VALIDATION)
    stack = ServiceStack(app, "ServiceStack")
    if extend:
        extend(stack)
    template: dict[str, Any] = app.synth().get_stack_by_name("ServiceStack").template
    return template


def without_cdk(template: dict[str, Any]) -> dict[str, Any]:
    """The synth output with what CDK itself adds removed: what CloudFormation would get from the user's side."""
    result = copy.deepcopy(template)
    for name in CDK_PARAMETERS:
        result.get("Parameters", {}).pop(name, None)
    for name in CDK_RULES:
        result.get("Rules", {}).pop(name, None)
    for resource in result["Resources"].values():
        metadata = resource.get("Metadata", {})
        metadata.pop("aws:cdk:path", None)
        if not metadata:
            resource.pop("Metadata", None)
    return result


def expanded(template_file: Path) -> dict[str, dict[str, Any]]:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return {name: expand(template_file, values) for name, values in parameter_sets().items()}


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return synthesize(tmp_path_factory.mktemp("cdk.out"))


@pytest.fixture(scope="session")
def synthesized_file(synthesized: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "template.json"
    path.write_text(json.dumps(without_cdk(synthesized)))
    return path


@pytest.fixture(scope="session")
def expanded_template() -> dict[str, dict[str, Any]]:
    """parameter set -> template.yaml expanded as `sam deploy` would."""
    return expanded(ROOT / "template.yaml")


@pytest.fixture(scope="session")
def expanded_synth(synthesized_file: Path) -> dict[str, dict[str, Any]]:
    """parameter set -> the CDK app's output expanded as CloudFormation would."""
    return expanded(synthesized_file)
