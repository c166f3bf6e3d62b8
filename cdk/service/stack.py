"""ServiceStack: the stack `cdk deploy` creates, template.yaml included, ready for the user's own constructs."""

import tomllib
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from cdk.service.include import ServiceTemplate

ROOT = Path(__file__).resolve().parents[2]


def default_stack_name() -> str:
    """<brand>-cdk, next to the <brand>-dev and <brand>-prod that `sam deploy` creates; read from pyproject.toml's
    <brand>-service so that `make fork` needs no rule for it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    return f"{project.removesuffix('-service')}-cdk"


def synthesizer(app: cdk.App) -> cdk.IStackSynthesizer:
    """The standard bootstrap, or the pipeline stack's artifacts bucket and execution role (docs/pipeline.md):
    `cdk deploy -c artifactsBucket=<bucket> -c cfnRoleArn=<arn>` uses them and needs no CDK bootstrap."""
    bucket = app.node.try_get_context("artifactsBucket")
    if not bucket:
        return cdk.DefaultStackSynthesizer()
    return cdk.CliCredentialsStackSynthesizer(
        file_assets_bucket_name=bucket,
        bucket_prefix=f"{app.node.try_get_context('stackName') or 'cdk'}/",
    )


class ServiceStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.service = ServiceTemplate(self, "Service")
