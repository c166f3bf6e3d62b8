"""What to verify: a deployed stack's outputs (CloudFormation), or the local stack's outputs file, and a Cognito
client for its pool (the caller's credentials, or the local AWS with its dummy ones). Both give the same Target."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import requests
from botocore.exceptions import BotoCoreError, ClientError

from verify.errors import VerifyError

DUMMY = "testing"  # pragma: allowlist secret (moto's placeholder, devstack/outputs.py DUMMY_CREDENTIALS)


@dataclass
class Target:
    name: str
    local: bool
    outputs: dict[str, Any]
    cognito: Any | None  # None: the stack uses its own issuer

    @property
    def base_url(self) -> str:
        return str(self.outputs["ApiUrl"]).rstrip("/")


def deployed(stack: str) -> Target:
    try:
        session = boto3.session.Session()
        found = session.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    except (ClientError, BotoCoreError) as error:
        raise VerifyError(f"stack {stack} cannot be read: {error}") from None
    outputs = {output["OutputKey"]: output["OutputValue"] for output in found.get("Outputs", [])}
    outputs["Region"] = session.region_name
    cognito = session.client("cognito-idp") if "UserPoolId" in outputs else None
    return Target(name=stack, local=False, outputs=outputs, cognito=cognito)


def from_outputs_file(path: Path) -> Target:
    if not path.exists():
        raise VerifyError(f"no local stack: {path} is missing (start one with `make dev`)")
    outputs = json.loads(path.read_text())
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=outputs["AwsEndpointUrl"],
        region_name=outputs["Region"],
        aws_access_key_id=DUMMY,
        aws_secret_access_key=DUMMY,
    )
    pool = cognito if "UserPoolId" in outputs else None
    return Target(name=f"local ({path})", local=True, outputs=outputs, cognito=pool)


@contextmanager
def started_local_stack() -> Iterator[Target]:
    """A local stack of its own on free ports, as the e2e fixtures start one; stopped afterwards."""
    from tests.e2e.localstack import start_stack, stop_stack

    with tempfile.TemporaryDirectory(prefix="verify-") as directory:
        stack = start_stack(Path(directory))
        try:
            yield from_outputs_file(Path(directory) / "outputs.json")
        finally:
            stop_stack(stack.process)


def require(target: Target, *, tokens_given: bool) -> None:
    """The outputs a verification needs, and an API that answers; else one line naming what is missing."""
    if "ApiUrl" not in target.outputs:
        raise VerifyError(f"{target.name} has no output ApiUrl")
    if target.cognito is None and not tokens_given:
        raise VerifyError(
            f"{target.name} has no outputs UserPoolId/UserPoolClientId (its own issuer?): pass TOKEN= and OTHER_TOKEN="
        )
    try:
        health = requests.get(f"{target.base_url}/health", timeout=30)
    except requests.RequestException as error:
        raise VerifyError(f"the API at {target.base_url} does not answer: {type(error).__name__}") from None
    if health.status_code != 200:
        raise VerifyError(f"the API at {target.base_url} answers GET /health with {health.status_code}")
