"""template.yaml read for CfnInclude: decoded by cfn-lint (the parser devstack/template.py uses), refused when it
uses what CDK cannot carry, and split into what CfnInclude parses and what the construct restores verbatim.

CDK's own YAML reader fails on an anchor before a short-form tag (`&x !If`) and turns `!Contains` into a plain
list: cfn-lint's decoder understands both, and CfnInclude then reads plain JSON.
"""

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import decode

# AWS::LanguageExtensions functions CfnInclude refuses or drops (a FindInMap default is its fourth argument):
# the template does not use them; if it starts to, synth stops here rather than deploy something else.
UNSUPPORTED_FUNCTIONS = ("Fn::ForEach::", "Fn::ToJsonString", "Fn::Length")
SAM_TYPE_PREFIX = "AWS::Serverless::"
SUB_REFERENCE = re.compile(r"\$\{([^!}][^}]*)\}")


class UnsupportedTemplateError(ValueError):
    """template.yaml uses something the CDK entry point cannot include faithfully."""


@dataclass
class IncludedTemplate:
    """What CfnInclude reads (`parsed`) and what the construct then restores on each resource, verbatim."""

    original: dict[str, Any]
    parsed: dict[str, Any]
    restored: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def transforms(self) -> list[str]:
        transform = self.original.get("Transform", [])
        return [transform] if isinstance(transform, str) else list(transform)


def plain(value: Any) -> Any:
    """cfn-lint's decoded nodes (str_node, dict_node...) as plain JSON values."""
    return json.loads(json.dumps(value))


def read_template(path: Path) -> dict[str, Any]:
    body, errors = decode(str(path))
    if errors or body is None:
        raise UnsupportedTemplateError(f"cannot parse {path}: {[str(error) for error in errors]}")
    template: dict[str, Any] = plain(body)
    refuse_unsupported(template)
    return template


def walk(value: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    yield where, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{where}/{index}")


def refuse_unsupported(template: dict[str, Any]) -> None:
    found = []
    for where, value in walk(template):
        if not isinstance(value, dict):
            continue
        found += [f"{where}: {key}" for key in value if str(key).startswith(UNSUPPORTED_FUNCTIONS)]
        find_in_map = value.get("Fn::FindInMap")
        if isinstance(find_in_map, list) and len(find_in_map) > 3:
            found.append(f"{where}: Fn::FindInMap with a DefaultValue")
    if found:
        raise UnsupportedTemplateError(
            "template.yaml uses AWS::LanguageExtensions functions CfnInclude drops or refuses; the CDK entry point "
            f"cannot deploy it as written: {found}"
        )


def referenced_names(value: Any) -> set[str]:
    """Every logical id or parameter a value names through Ref, Fn::GetAtt or Fn::Sub."""
    names: set[str] = set()
    for _, node in walk(value):
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("Ref"), str):
            names.add(node["Ref"])
        attribute = node.get("Fn::GetAtt")
        if attribute:
            names.add(attribute.split(".")[0] if isinstance(attribute, str) else str(attribute[0]))
        sub = node.get("Fn::Sub")
        text, variables = (sub[0], sub[1]) if isinstance(sub, list) else (sub, {})
        if isinstance(text, str):
            names |= {name.split(".")[0] for name in SUB_REFERENCE.findall(text)} - set(variables)
    return names


def declared_names(template: dict[str, Any]) -> set[str]:
    return set(template.get("Resources", {})) | set(template.get("Parameters", {}))


def split_for_include(template: dict[str, Any]) -> IncludedTemplate:
    """SAM resources reach CfnInclude without properties (their references to each other would be cycles before
    the transform, and CDK's SAM classes reshape some properties); a property or DependsOn that names what only
    the transform creates (`Function.Alias`, `HttpApiApiGatewayDefaultStage`) reaches it as a plain string. The
    construct puts each one back verbatim."""
    parsed = copy.deepcopy(template)
    known = declared_names(template)
    included = IncludedTemplate(original=template, parsed=parsed)
    for name, resource in parsed["Resources"].items():
        restored: dict[str, Any] = {}
        if resource["Type"].startswith(SAM_TYPE_PREFIX):
            restored["Properties"] = resource.pop("Properties", {})
        for key, value in resource.get("Properties", {}).items():
            if not referenced_names(value) <= known | pseudo_parameters(value):
                restored[f"Properties.{key}"] = value
                resource["Properties"][key] = f"restored by the construct: {key}"
        depends_on = resource.get("DependsOn")
        if depends_on is not None and not set([depends_on] if isinstance(depends_on, str) else depends_on) <= known:
            restored["DependsOn"] = resource.pop("DependsOn")
        if restored:
            included.restored[name] = restored
    return included


def pseudo_parameters(value: Any) -> set[str]:
    return {name for name in referenced_names(value) if name.startswith("AWS::")}
