"""`cdk deploy` with the standard bootstrap, or with the pipeline stack's artifacts bucket and no bootstrap."""

from pathlib import Path

import aws_cdk as cdk

from cdk.service.stack import ServiceStack, default_stack_name, synthesizer


def test_the_artifacts_bucket_replaces_the_bootstrap(tmp_path: Path) -> None:
    app = cdk.App(outdir=str(tmp_path), context={"artifactsBucket": "items-pipeline-artifacts", "stackName": "x-pr-1"})
    ServiceStack(app, "ServiceStack", synthesizer=synthesizer(app))

    template = app.synth().get_stack_by_name("ServiceStack").template

    layer = template["Resources"]["DependenciesLayer"]["Properties"]["ContentUri"]
    assert layer["Bucket"] == "items-pipeline-artifacts"
    assert layer["Key"].startswith("x-pr-1/")
    assert "BootstrapVersion" not in template["Parameters"]


def test_the_default_stack_name_follows_the_project_name() -> None:
    # Built from pyproject.toml's <brand>-service, so `make fork` renames it without a rule of its own.
    assert default_stack_name().endswith("-cdk")
    assert default_stack_name() != "-cdk"
