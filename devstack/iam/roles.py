"""Each function's role as SAM generates it, its policies resolved to the local stack's ARNs.

The policies are read from the expanded template: the role the function's `Role` names, with its inline Policies,
its ManagedPolicyArns (AWS-managed documents from the copy moto ships of AWS's published policies; customer
managed ones from the template) and the AWS::IAM::Policy resources attached to it. A permissions boundary is not
evaluated locally, so a role with one is refused rather than enforced without it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import moto

from devstack.iam.expansion import CACHE_DIRECTORY
from devstack.iam.policy import Policy, PolicyError
from devstack.template import ACCOUNT_ID, Template

Documents = list[tuple[str, dict[str, Any]]]
_AWS_MANAGED = "arn:aws:iam::aws:policy/"


@dataclass(frozen=True)
class FunctionRole:
    function: str  # logical id
    function_name: str
    role_name: str
    documents: Documents

    @property
    def access_key_id(self) -> str:
        return access_key_of(self.function)

    @property
    def principal_arn(self) -> str:
        """The identity AWS names in an AccessDenied message: the function's session of its role."""
        return f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{self.role_name}/{self.function_name}"

    def policy(self) -> Policy:
        return Policy.from_documents(self.documents)


def access_key_of(function: str) -> str:
    """The access key id a function's environments sign with: the middleware knows its role by it."""
    return f"LOCAL{function}"


@cache
def _aws_managed_documents() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data  # 10 MB of JSON: imported when first needed

    documents: dict[str, Any] = json.loads(aws_managed_policies_data)
    return documents


def aws_managed_document(name: str) -> Any:
    """An AWS-managed policy's document, from moto's copy of AWS's published ones (1.6 s to load on 2 busy cores):
    the few a template uses are kept in .aws-sam/local/iam/, per moto version."""
    path = CACHE_DIRECTORY / f"aws-managed-policies-moto-{moto.__version__}.json"
    kept: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    if name not in kept:
        kept[name] = _aws_managed_documents()[name]["Document"]
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(kept, indent=1))
        temporary.replace(path)
    return kept[name]


def _managed_document(arn: str, resources: Mapping[str, Any], template: Template, names: Mapping[str, str]) -> Any:
    if isinstance(arn, str) and arn.startswith(_AWS_MANAGED):
        return aws_managed_document(arn.rsplit("/", 1)[-1])
    if isinstance(arn, dict) and "Ref" in arn and arn["Ref"] in resources:
        return template.resolve(resources[arn["Ref"]]["Properties"]["PolicyDocument"], names)
    raise PolicyError(f"managed policy {arn} is neither AWS-managed nor in the template")


def _attached_policies(role_id: str, resources: Mapping[str, Any]) -> Documents:
    attached = []
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in properties.get("Roles", []):
            attached.append((logical_id, properties["PolicyDocument"]))
        if resource["Type"] == "AWS::IAM::RolePolicy" and properties.get("RoleName") == {"Ref": role_id}:
            attached.append((logical_id, properties["PolicyDocument"]))
    return attached


def role_documents(
    role_id: str, expanded: Mapping[str, Any], template: Template, names: Mapping[str, str]
) -> Documents:
    resources = expanded["Resources"]
    properties = resources[role_id].get("Properties", {})
    if "PermissionsBoundary" in properties:
        raise PolicyError(f"{role_id}: permissions boundaries are not evaluated by the local stack")
    documents: Documents = [
        (policy["PolicyName"], policy["PolicyDocument"]) for policy in properties.get("Policies", [])
    ]
    documents += _attached_policies(role_id, resources)
    resolved = [(name, template.resolve(document, names)) for name, document in documents]
    for arn in properties.get("ManagedPolicyArns", []):
        label = arn if isinstance(arn, str) else json.dumps(arn)
        resolved.append((label.rsplit("/", 1)[-1], _managed_document(arn, resources, template, names)))
    return resolved


def function_roles(
    expanded: Mapping[str, Any], template: Template, names: Mapping[str, str]
) -> dict[str, FunctionRole]:
    """logical id -> role of every function of the template whose role the template declares."""
    roles = {}
    resources = expanded["Resources"]
    for function in template.functions():
        role = resources.get(function, {}).get("Properties", {}).get("Role")
        role_id = str(role.get("Fn::GetAtt", [""])[0]) if isinstance(role, dict) else ""
        if role_id not in resources:
            raise PolicyError(f"{function}: its role {role} is not a role of the template")
        documents = role_documents(role_id, expanded, template, names)
        Policy.from_documents(documents)  # refuses what it cannot evaluate now, at start, not at the first call
        name = names.get(function, function)
        roles[function] = FunctionRole(function, name, f"{template.stack_name}-{role_id}", documents)
    return roles
