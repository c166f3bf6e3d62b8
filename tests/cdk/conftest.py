"""The CDK app synthesized in process (the isolated environment of `make cdk-test`), and the SAM expansions of
its output and of template.yaml under every parameter set (scripts/expand_template.py)."""

import copy
import importlib.util
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from scripts.parameter_sets import parameter_sets

if TYPE_CHECKING:
    from cdk.service.stack import ServiceStack

ROOT = Path(__file__).parents[2]
VALIDATION = {"@aws-cdk/core:validateAgainstDefaultRules": True}
# What CDK adds to any stack: the bootstrap version check and the construct paths.
CDK_PARAMETERS = {"BootstrapVersion"}
CDK_RULES = {"CheckBootstrapVersion"}
CDK_RESOURCES = {"CDKMetadata"}
CDK_CONDITIONS = {"CDKMetadataAvailable"}

Extension = Callable[["ServiceStack"], None]


def pytest_ignore_collect(collection_path: Path) -> bool | None:
    """CDK and the translator live in make cdk-test's environment, not in uv.lock: a bare `pytest` skips this
    folder instead of failing to collect it. (This module imports them only where they are used, for that.)"""
    return True if importlib.util.find_spec("aws_cdk") is None else None


@dataclass
class Synthesis:
    stack: "ServiceStack"
    outdir: Path
    template: dict[str, Any]


def synthesize(outdir: Path, extend: Extension | None = None) -> Synthesis:
    import aws_cdk as cdk

    from cdk.service.stack import ServiceStack

    app = cdk.App(outdir=str(outdir), context=VALIDATION)
    stack = ServiceStack(app, "ServiceStack")
    if extend:
        extend(stack)
    template: dict[str, Any] = app.synth().get_stack_by_name("ServiceStack").template
    return Synthesis(stack, outdir, template)


def without_cdk(template: dict[str, Any]) -> dict[str, Any]:
    """The synth output with what CDK itself adds removed: what CloudFormation would get from the user's side."""
    result = copy.deepcopy(template)
    for name in CDK_PARAMETERS:
        result.get("Parameters", {}).pop(name, None)
    for name in CDK_RULES:
        result.get("Rules", {}).pop(name, None)
    for name in CDK_RESOURCES:
        result["Resources"].pop(name, None)
    for name in CDK_CONDITIONS:
        result.get("Conditions", {}).pop(name, None)
    for resource in result["Resources"].values():
        metadata = resource.get("Metadata", {})
        metadata.pop("aws:cdk:path", None)
        if not metadata:
            resource.pop("Metadata", None)
    return result


def same_form(template: dict[str, Any]) -> dict[str, Any]:
    """CDK writes `DependsOn: Name` as `DependsOn: [Name]`, which CloudFormation reads the same."""
    for resource in template["Resources"].values():
        if isinstance(resource.get("DependsOn"), str):
            resource["DependsOn"] = [resource["DependsOn"]]
    return template


def expanded(template_file: Path) -> dict[str, dict[str, Any]]:
    from scripts.expand_template import expand

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    logging.disable(logging.WARNING)  # the translator's feature-toggle chatter, as in scripts/expand_template.py
    return {name: same_form(expand(template_file, values)) for name, values in parameter_sets().items()}


@pytest.fixture(scope="session")
def synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    return synthesize(tmp_path_factory.mktemp("cdk.out"))


@pytest.fixture(scope="session")
def synthesized(synthesis: Synthesis) -> dict[str, Any]:
    return synthesis.template


def written(template: dict[str, Any], directory: Path) -> Path:
    path = directory / "template.json"
    path.write_text(json.dumps(template, indent=1))
    return path


@pytest.fixture(scope="session")
def synthesized_file(synthesized: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synth output as `cdk deploy` sends it to CloudFormation."""
    return written(synthesized, tmp_path_factory.mktemp("synth"))


@pytest.fixture(scope="session")
def expanded_template() -> dict[str, dict[str, Any]]:
    """parameter set -> template.yaml expanded as `sam deploy` would."""
    return expanded(ROOT / "template.yaml")


@pytest.fixture(scope="session")
def expanded_synth(synthesized: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """parameter set -> the CDK app's output, without what CDK adds to any stack, expanded as CloudFormation would."""
    return expanded(written(without_cdk(synthesized), tmp_path_factory.mktemp("without_cdk")))
