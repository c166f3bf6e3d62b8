"""The template's Outputs with local values, written where `make token`, tests and tools can read them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devstack.template import REPO_ROOT, Template

DEFAULT_OUTPUTS = REPO_ROOT / ".aws-sam" / "local" / "outputs.json"
# Moto accepts any credentials; fixed dummy ones keep a developer's real credentials away from the local stack.
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def _localize(value: Any, replacements: Mapping[str, str]) -> Any:
    if not isinstance(value, str):
        return value
    for deployed, local in replacements.items():
        if value.startswith(deployed):
            return local + value[len(deployed) :]
    return value


def local_outputs(
    template: Template, names: Mapping[str, str], *, api_url: str, endpoint: str, region: str
) -> dict[str, Any]:
    """Outputs resolved to local names; an execute-api URL of any HTTP API becomes the local gateway's URL."""
    replacements = {
        f"https://{names[api]}.execute-api.{region}.amazonaws.com": api_url
        for api in template.http_apis()
        if api in names
    }
    outputs = {key: _localize(value, replacements) for key, value in template.outputs(names).items()}
    return {**outputs, "AwsEndpointUrl": endpoint, "Region": region}


def write_outputs(outputs: Mapping[str, Any], path: Path = DEFAULT_OUTPUTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(outputs, indent=2) + "\n")
    temporary.replace(path)  # atomic: a reader polling for the file never sees half of it


def read_outputs(path: Path = DEFAULT_OUTPUTS) -> dict[str, Any]:
    if not path.exists():
        raise SystemExit(f"{path} not found: start the local stack first (make dev)")
    outputs: dict[str, Any] = json.loads(path.read_text())
    return outputs
