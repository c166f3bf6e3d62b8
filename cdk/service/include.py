"""ServiceTemplate: template.yaml in a CDK stack through CfnInclude, parameters kept as parameters.

What CfnInclude cannot carry as it is (see service/source.py) is put back verbatim on the included resources, the
transforms keep template.yaml's order (LanguageExtensions first, as CloudFormation requires), and the function
code and the dependencies layer become CDK assets.
"""

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import cloudformation_include
from constructs import Construct

from cdk.service.assets import ServiceAssets
from cdk.service.source import IncludedTemplate, read_template, split_for_include

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
BUILD = ROOT / ".aws-sam" / "cdk"
# The pre-transform template names what only the SAM transform creates (`Function.Alias`, the HTTP API's
# $default stage): CDK's template validation reports them, CloudFormation resolves them after the transform.
TRANSFORM_NAMES = (
    cdk.Acknowledgment(
        id="CloudFormation-Validate::F1020",
        reason="Ref to <Function>.Alias: the alias AutoPublishAlias makes, created by the SAM transform.",
    ),
    cdk.Acknowledgment(
        id="CloudFormation-Validate::E3005",
        reason="DependsOn a resource the SAM transform creates (the HTTP API's $default stage).",
    ),
)


class ServiceTemplate(Construct):
    """Every resource, parameter, condition, rule and output of template.yaml, with their logical ids."""

    def __init__(self, scope: Construct, construct_id: str, *, template: Path = TEMPLATE) -> None:
        super().__init__(scope, construct_id)
        self.template = split_for_include(read_template(template))
        self.assets = ServiceAssets(self, "Assets", root=template.parent)
        self._point_code_at_assets()
        # CfnInclude reads a file: the decoded template, in the git-ignored build folder.
        included = BUILD / "template.included.json"
        included.parent.mkdir(parents=True, exist_ok=True)
        included.write_text(json.dumps(self.template.parsed, indent=1))
        self.include = cloudformation_include.CfnInclude(
            self, "Template", template_file=str(included), preserve_logical_ids=True
        )
        self._restore(self.template)
        cdk.Stack.of(self).template_options.transforms = self.template.transforms

    def resource(self, logical_id: str) -> cdk.CfnResource:
        return self.include.get_resource(logical_id)

    def parameter(self, name: str) -> cdk.CfnParameter:
        return self.include.get_parameter(name)

    def _point_code_at_assets(self) -> None:
        """Globals' CodeUri and the layer's ContentUri are local folders for `sam build`: here, CDK assets."""
        self.template.parsed.get("Globals", {}).get("Function", {}).pop("CodeUri", None)
        for name, restored in self.template.restored.items():
            properties: dict[str, Any] = restored.get("Properties", {})
            resource_type = self.template.original["Resources"][name]["Type"]
            if resource_type == "AWS::Serverless::Function" and isinstance(properties.get("CodeUri", "src/"), str):
                properties["CodeUri"] = self.assets.code_location
            if resource_type == "AWS::Serverless::LayerVersion":
                properties["ContentUri"] = self.assets.layer_location

    def _restore(self, template: IncludedTemplate) -> None:
        for name, parts in template.restored.items():
            resource = self.resource(name)
            for path, value in parts.items():
                resource.add_override(path, value)
            if set(parts) - {"Properties"}:
                cdk.Validations.of(resource).acknowledge(*TRANSFORM_NAMES)
