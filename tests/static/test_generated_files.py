"""Committed files generated from the code or the lock must match what the generators produce now."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def test_openapi_spec_matches_the_code() -> None:
    from app.api.openapi import openapi_json

    committed = (ROOT / "openapi.json").read_text()

    assert committed == openapi_json(), "openapi.json drifted from the routes: run `make openapi`"


def test_lambda_requirements_match_the_lock() -> None:
    # `uv run` names itself in UV: on a bare machine the Makefile's uv is in .tools/, not on PATH.
    exported = subprocess.run(
        [
            os.environ.get("UV", "uv"),
            "export",
            "--frozen",
            "--no-dev",
            "--no-hashes",
            "--no-emit-project",
            "--no-header",
            # no "# via" lines: they would name the project, which `make fork` renames
            "--no-annotate",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    committed = (ROOT / "layer" / "requirements.txt").read_text()

    assert committed == exported, "layer/requirements.txt drifted from uv.lock: run `make requirements`"


@pytest.mark.parametrize("name", ["boto3", "pydantic", "aws-lambda-powertools"])
def test_lambda_requirements_pin_runtime_dependencies(name: str) -> None:
    assert f"\n{name}==" in "\n" + (ROOT / "layer" / "requirements.txt").read_text()
