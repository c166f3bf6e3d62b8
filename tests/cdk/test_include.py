"""What plain CfnInclude gets wrong on template.yaml (issue 24), each guarded: the synth keeps it as written."""

import json
from pathlib import Path
from typing import Any

import pytest

from cdk.service.source import SAM_TYPE_PREFIX, UnsupportedTemplateError, read_template
from devstack.template import load_template

ROOT = Path(__file__).parents[2]
ASSET_PROPERTIES = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}


@pytest.fixture(scope="module")
def source() -> dict[str, Any]:
    """template.yaml as the local stack reads it (cfn-lint's decoder): anchors and short-form tags resolved."""
    return json.loads(json.dumps(load_template().body))


def test_transforms_keep_the_template_order(synthesized: dict[str, Any], source: dict[str, Any]) -> None:
    # CloudFormation runs AWS::LanguageExtensions first only if it is listed first; CfnInclude flips the list.
    assert synthesized["Transform"] == source["Transform"]


def test_sam_resources_keep_their_properties_verbatim(synthesized: dict[str, Any], source: dict[str, Any]) -> None:
    # e.g. HttpApi's CorsConfiguration with a !Ref list, which CDK's SAM classes empty; code locations are assets.
    for name, resource in source["Resources"].items():
        if resource["Type"].startswith(SAM_TYPE_PREFIX):
            rendered = dict(synthesized["Resources"][name].get("Properties", {}))
            written = dict(resource.get("Properties", {}))
            for properties in (rendered, written):
                properties.pop(ASSET_PROPERTIES.get(resource["Type"], ""), None)
            assert rendered == written, name


def test_every_resource_is_included_as_written(synthesized: dict[str, Any], source: dict[str, Any]) -> None:
    """Refs to `<Function>.Alias` and a DependsOn on the transform's $default stage included; no key lost."""
    for name, resource in source["Resources"].items():
        rendered = {key: value for key, value in synthesized["Resources"][name].items() if key != "Metadata"}
        written = {key: value for key, value in resource.items() if key != "Metadata"}
        if resource["Type"].startswith(SAM_TYPE_PREFIX):  # their properties: the test above
            rendered.pop("Properties")
            written.pop("Properties", None)
        for entry in (rendered, written):  # CDK writes the one-name form as a list: the same
            if isinstance(entry.get("DependsOn"), str):
                entry["DependsOn"] = [entry["DependsOn"]]
        assert rendered == written, name
        metadata = synthesized["Resources"][name].get("Metadata", {})
        assert metadata.items() >= resource.get("Metadata", {}).items(), name


def test_parameters_rules_conditions_and_outputs_are_kept(synthesized: dict[str, Any], source: dict[str, Any]) -> None:
    # Parameters stay parameters (`cdk deploy --parameters Stage=prod`); !Contains in Rules stays Fn::Contains.
    assert {name: synthesized["Parameters"][name] for name in source["Parameters"]} == source["Parameters"]
    assert {name: synthesized["Rules"][name] for name in source["Rules"]} == source["Rules"]
    assert synthesized["Conditions"] == source["Conditions"]
    assert synthesized["Outputs"] == source["Outputs"]
    assert synthesized["Globals"]["Function"] == {
        key: value for key, value in source["Globals"]["Function"].items() if key != "CodeUri"
    }


@pytest.mark.parametrize(
    "value",
    [
        {"Fn::ForEach::Topics": ["Name", ["A", "B"], {"${Name}Topic": {"Type": "AWS::SNS::Topic"}}]},
        {"Fn::ToJsonString": {"a": 1}},
        {"Fn::Length": [1, 2]},
        {"Fn::FindInMap": ["Map", "Key", "Value", {"DefaultValue": "x"}]},
    ],
    ids=["ForEach", "ToJsonString", "Length", "FindInMap default"],
)
def test_language_extensions_cdk_cannot_carry_fail_the_synth(tmp_path: Path, value: dict[str, Any]) -> None:
    template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": value}}}}
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    with pytest.raises(UnsupportedTemplateError, match="LanguageExtensions"):
        read_template(path)


def test_the_template_itself_is_accepted() -> None:
    assert read_template(ROOT / "template.yaml")["Resources"]
