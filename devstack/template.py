"""template.yaml as the single description of the service: resources, functions, routes, authorizer, outputs.

The local stack, the moto fixtures and env.json all read the template through this module, so a resource, route or
function added to template.yaml appears locally with no second list to update.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import decode

from devstack.intrinsics import Intrinsics, as_text
from devstack.sam import Event, Function, HttpApi, Route, http_apis, merge_globals, routes_of

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATE = REPO_ROOT / "template.yaml"
ACCOUNT_ID = "123456789012"
STACK_NAME = "items-local"

__all__ = ["DEFAULT_TEMPLATE", "Event", "Function", "HttpApi", "Route", "Template", "load_template"]


def _default_region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


def _parameter_value(spec: Mapping[str, Any], override: Any) -> Any:
    value = spec.get("Default", "") if override is None else override
    if spec.get("Type") == "CommaDelimitedList" and isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    return value if isinstance(value, list) else as_text(value)


@dataclass
class Template:
    """A decoded template with its conditions evaluated for one set of parameter values."""

    path: Path
    body: dict[str, Any]
    parameters: dict[str, Any] = field(default_factory=dict)
    region: str = field(default_factory=_default_region)
    stack_name: str = STACK_NAME

    def __post_init__(self) -> None:
        declared = self.body.get("Parameters", {})
        unknown = set(self.parameters) - set(declared)
        if unknown:
            raise ValueError(f"unknown template parameters: {sorted(unknown)}")
        values = {name: _parameter_value(spec, self.parameters.get(name)) for name, spec in declared.items()}
        self.intrinsics = Intrinsics(
            parameters=values,
            conditions=self.body.get("Conditions", {}),
            mappings=self.body.get("Mappings", {}),
            pseudo={
                "AWS::Region": self.region,
                "AWS::AccountId": ACCOUNT_ID,
                "AWS::StackName": self.stack_name,
                "AWS::StackId": f"arn:aws:cloudformation:{self.region}:{ACCOUNT_ID}:stack/{self.stack_name}/local",
                "AWS::URLSuffix": "amazonaws.com",
                "AWS::Partition": "aws",
                "AWS::NotificationARNs": [],
            },
        )

    @property
    def directory(self) -> Path:
        return self.path.parent

    def condition(self, name: str) -> bool:
        return self.intrinsics.condition(name)

    def resources(self) -> dict[str, dict[str, Any]]:
        """Every resource whose Condition holds, with the SAM Globals merged in."""
        globals_ = self.body.get("Globals", {})
        return {
            logical_id: merge_globals(resource, globals_)
            for logical_id, resource in self.body.get("Resources", {}).items()
            if "Condition" not in resource or self.condition(resource["Condition"])
        }

    def resources_of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """logical id -> raw Properties (intrinsics unresolved) of the resources of one type."""
        return {
            logical_id: resource.get("Properties", {})
            for logical_id, resource in self.resources().items()
            if resource["Type"] == resource_type
        }

    def resolve(self, value: Any, names: Mapping[str, str]) -> Any:
        """Evaluates Ref/GetAtt/Sub/If/Join/... in value against provisioned names (see devstack.names)."""
        return self.intrinsics.resolve(value, names)

    def functions(self) -> dict[str, Function]:
        return {
            logical_id: Function.from_properties(logical_id, properties, self.directory)
            for logical_id, properties in self.resources_of_type("AWS::Serverless::Function").items()
        }

    def function_environment(self, logical_id: str, names: Mapping[str, str]) -> dict[str, str]:
        """The function's environment variables (Globals merged), resolved to local names, as strings."""
        variables = self.resolve(self.functions()[logical_id].environment, names)
        return {key: as_text(value) for key, value in variables.items()}

    def http_apis(self) -> dict[str, HttpApi]:
        return http_apis(self.resources_of_type("AWS::Serverless::HttpApi"), self.functions())

    def http_api(self) -> HttpApi:
        """The HTTP API (the explicit one, else SAM's implicit ServerlessHttpApi); raw, resolve its fields."""
        apis = self.http_apis()
        if not apis:
            raise LookupError("template has no HTTP API")
        return next(iter(apis.values()))

    def routes(self) -> list[Route]:
        return routes_of(self.functions(), self.http_apis())

    def outputs(self, names: Mapping[str, str]) -> dict[str, Any]:
        return {
            key: self.resolve(output["Value"], names)
            for key, output in self.body.get("Outputs", {}).items()
            if "Condition" not in output or self.condition(output["Condition"])
        }


def load_template(
    path: Path = DEFAULT_TEMPLATE,
    *,
    parameters: Mapping[str, Any] | None = None,
    region: str | None = None,
) -> Template:
    """Decodes template.yaml with cfn-lint (short-form tags, anchors); parameters override their defaults."""
    body, errors = decode(str(path))
    if errors or body is None:
        raise ValueError(f"cannot parse {path}: {[str(error) for error in errors]}")
    return Template(
        path=Path(path).resolve(),
        body=body,
        parameters=dict(parameters or {}),
        region=region or _default_region(),
    )
