"""What every resource provisioner needs: typed clients on the target endpoint, the names so far, the time scale."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3
from botocore.model import Shape

from devstack.intrinsics import as_text
from devstack.names import Names
from devstack.template import ACCOUNT_ID, Template

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sqs import SQSClient


@dataclass
class Context:
    template: Template
    session: boto3.session.Session
    endpoint_url: str | None  # None: boto3 reads AWS_ENDPOINT_URL itself, or moto.mock_aws intercepts
    time_scale: float = 1.0
    names: Names = field(default_factory=Names)

    @property
    def region(self) -> str:
        return self.session.region_name or self.template.region

    @property
    def account(self) -> str:
        return ACCOUNT_ID

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account}:{resource}"

    def physical_name(self, logical_id: str, explicit: Any, *, bucket: bool = False) -> str:
        """The name the template sets, else a stable stack-logicalId name, so restarts find the same resource."""
        if explicit:
            return as_text(explicit)
        name = f"{self.template.stack_name}-{logical_id}"
        # Bucket names allow only lower case letters, digits, dots and hyphens.
        return re.sub(r"[^a-z0-9.-]", "-", name.lower())[:63] if bucket else name

    @cached_property
    def dynamodb(self) -> DynamoDBClient:
        return self.session.client("dynamodb", endpoint_url=self.endpoint_url)

    @cached_property
    def sqs(self) -> SQSClient:
        return self.session.client("sqs", endpoint_url=self.endpoint_url)

    @cached_property
    def s3(self) -> S3Client:
        return self.session.client("s3", endpoint_url=self.endpoint_url)

    @cached_property
    def secretsmanager(self) -> SecretsManagerClient:
        return self.session.client("secretsmanager", endpoint_url=self.endpoint_url)

    @cached_property
    def cognito(self) -> CognitoIdentityProviderClient:
        return self.session.client("cognito-idp", endpoint_url=self.endpoint_url)


def _fit_structure(value: Any, shape: Shape) -> Any:
    if not isinstance(value, dict):
        return value
    members = shape.members  # type: ignore[attr-defined]
    return {key: fit_to_shape(item, members[key]) for key, item in value.items() if key in members}


def _fit_list(value: Any, shape: Shape) -> Any:
    return [fit_to_shape(item, shape.member) for item in value] if isinstance(value, list) else value  # type: ignore[attr-defined]


def _fit_boolean(value: Any, _shape: Shape) -> Any:
    return value if isinstance(value, bool) else as_text(value).lower() == "true"


def _unchanged(value: Any, _shape: Shape) -> Any:
    return value


def _fit_string(value: Any, _shape: Shape) -> Any:
    # Policy documents are objects in templates and JSON text in the APIs.
    return json.dumps(value) if isinstance(value, dict | list) else as_text(value)


_FITS: dict[str, Callable[[Any, Shape], Any]] = {
    "structure": _fit_structure,
    "list": _fit_list,
    "integer": lambda value, _shape: int(value),
    "long": lambda value, _shape: int(value),
    "boolean": _fit_boolean,
    "string": _fit_string,
}


def fit_to_shape(value: Any, shape: Shape) -> Any:
    """Keeps only the members the API accepts and coerces scalars to the API's types.

    CloudFormation properties mostly mirror the API but carry extra keys (e.g. ContributorInsightsSpecification in
    a GSI) and accept "5" for 5; botocore validates strictly, so a generic fit avoids a mapping per property.
    """
    return _FITS.get(shape.type_name, _unchanged)(value, shape)


def api_arguments(client: Any, operation: str, properties: dict[str, Any]) -> dict[str, Any]:
    shape = client.meta.service_model.operation_model(operation).input_shape
    return fit_to_shape(properties, shape)  # type: ignore[no-any-return]
