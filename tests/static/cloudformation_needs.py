"""What CloudFormation itself needs to deploy a resource type, from the data cfn-lint ships: the resource provider
schemas (handler permissions, whether CloudFormation tags the resource) and the service authorization reference
(which ARNs an action is authorized on). Read through cfn-lint, never copied into the repository."""

import re
from functools import cache
from typing import Any

from cfnlint.data import AdditionalSpecs
from cfnlint.helpers import load_resource
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

HANDLERS = ("create", "update", "delete")
REGION = "us-east-1"
ACCOUNT = "123456789012"
PLACEHOLDERS = {"${Partition}": "aws", "${Region}": REGION, "${Account}": ACCOUNT}


@cache
def schema(resource_type: str) -> dict[str, Any]:
    return dict(PROVIDER_SCHEMA_MANAGER.get_resource_schema(REGION, resource_type).schema)


def handler_permissions(resource_type: str) -> dict[str, list[str]]:
    """handler -> the permissions the schema lists for it (update is absent for replace-only types)."""
    handlers = schema(resource_type).get("handlers", {})
    return {name: handlers[name]["permissions"] for name in HANDLERS if name in handlers}


def tagged_by_cloudformation(resource_type: str) -> bool:
    """Whether CloudFormation puts its aws:cloudformation:* tags on the resource (schema defaults: both true)."""
    tagging = schema(resource_type).get("tagging", {})
    return bool(tagging.get("taggable", True) and tagging.get("cloudFormationSystemTags", True))


def identifier_property(resource_type: str) -> str | None:
    """The property that is the resource's physical id (its name in the ARN) when the template may set it."""
    identifier = schema(resource_type).get("primaryIdentifier", [])
    read_only = set(schema(resource_type).get("readOnlyProperties", []))
    if len(identifier) != 1 or identifier[0] in read_only:
        return None
    return str(identifier[0]).removeprefix("/properties/")


def iam_service(resource_type: str) -> str:
    """The IAM service prefix the type is created through: that of the first permission of its create handler."""
    return handler_permissions(resource_type)["create"][0].split(":")[0].lower()


@cache
def _authorization_reference() -> dict[str, Any]:
    return dict(load_resource(AdditionalSpecs, "Policies.json"))


def arn_formats(action: str) -> list[str] | None:
    """The ARN formats `action` is authorized on (regular expressions, names as `.*`, account and region filled);
    [] for an action that takes no resource (authorized on "*"); None for an action IAM does not know."""
    service, name = action.lower().split(":", 1)
    reference = _authorization_reference().get(service, {})
    entry = reference.get("Actions", {}).get(name)
    if entry is None:
        return None
    formats = []
    for resource_type in entry.get("Resources", []):
        for raw_format in reference["Resources"][resource_type.lower()]["ARNFormats"]:
            formats.append(re.sub(r"\$\{(Partition|Region|Account)\}", lambda m: PLACEHOLDERS[m[0]], raw_format))
    return formats


def sample_arns(formats: list[str], name: str) -> list[str]:
    """Each format with every name part (`.*` or a remaining `${...}`) replaced by `name`."""
    return [re.sub(r"\.\*|\$\{[^}]+\}", name, arn_format) for arn_format in formats]


def transform_arn(transform: str) -> str:
    """The ARN CloudFormation authorizes CreateChangeSet on for a declared transform (AWS::Name -> transform/Name)."""
    return f"arn:aws:cloudformation:{REGION}:aws:transform/{transform.removeprefix('AWS::')}"
