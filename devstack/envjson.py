"""`python -m devstack.envjson`: env.json for `sam local start-api --env-vars env.json` (functions in Docker).

Per function logical id: its template variables, with LocalAwsEndpointUrl set as samconfig.toml sets it for sam
local, resolved to the names `python -m devstack` creates (user pool and client ids too: both create them with
moto's HASH id strategy) and the embedded moto endpoint as a container sees it. sam local only overrides
variables the template declares: AWS_ENDPOINT_URL and the LOCAL_JWT_* variables exist only under sam local.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import moto

from devstack.execution.inprocess import applied_environment
from devstack.names import Names
from devstack.provision import provision
from devstack.template import DEFAULT_TEMPLATE, REPO_ROOT, Template, load_template

DEFAULT_ENV_JSON = REPO_ROOT / "env.json"
CONTAINER_ENDPOINT = "http://host.docker.internal:5000"
_DEFAULT_REGION = "us-east-1"
_SECRET_SUFFIX = re.compile(r"^arn:aws:secretsmanager:[^:]+:\d+:secret:(?P<name>.+)-[A-Za-z0-9]{6}$")
_MOCK_QUEUE_URL = re.compile(r"^https://sqs\.[a-z0-9-]+\.amazonaws\.com/")


# Cognito pool and client ids derived from their configuration: the same in env.json and in every `make dev`.
HASHED_COGNITO_IDS = {
    "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
    "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY": "HASH",
}


def _stable(names: Names, template: Template, endpoint: str) -> Names:
    """Values that are the same on every run: a secret by name (its ARN ends in a random suffix), queue URLs at
    the container's endpoint."""
    stable = Names(names)
    for logical_id in template.resources_of_type("AWS::SecretsManager::Secret"):
        match = _SECRET_SUFFIX.match(names[logical_id])
        if match is not None:
            stable[logical_id] = match.group("name")
    for key, value in stable.items():
        stable[key] = _MOCK_QUEUE_URL.sub(f"{endpoint}/", value)
    return stable


def env_json(template: Template, endpoint: str = CONTAINER_ENDPOINT) -> dict[str, Any]:
    """template must be loaded with LocalAwsEndpointUrl=endpoint (see local_template)."""
    # In-memory moto, only to learn the names; pool ids by hash so that they too repeat across runs.
    with applied_environment(HASHED_COGNITO_IDS):
        os.environ.pop("AWS_ENDPOINT_URL", None)  # mock_aws intercepts only the default AWS endpoints
        with moto.mock_aws():
            names = _stable(provision(template), template, endpoint)
    return {logical_id: template.function_environment(logical_id, names) for logical_id in sorted(template.functions())}


def local_template(endpoint: str = CONTAINER_ENDPOINT, path: Path | None = None) -> Template:
    """The template as sam local reads it: samconfig.toml passes LocalAwsEndpointUrl for local commands."""
    return load_template(path or DEFAULT_TEMPLATE, region=_DEFAULT_REGION, parameters={"LocalAwsEndpointUrl": endpoint})


def render(template: Template, endpoint: str = CONTAINER_ENDPOINT) -> str:
    return json.dumps(env_json(template, endpoint), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.envjson", description=__doc__)
    parser.add_argument("--output", type=Path, default=DEFAULT_ENV_JSON)
    parser.add_argument("--check", action="store_true", help="fail if the file is not up to date")
    parser.add_argument("--endpoint", default=CONTAINER_ENDPOINT, help="moto as the containers reach it")
    parser.add_argument("--template", type=Path, default=None, help="another template (default template.yaml)")
    args = parser.parse_args(argv)
    content = render(local_template(args.endpoint, args.template), args.endpoint)
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != content:
            print(f"{args.output} is out of date: run python -m devstack.envjson", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(content)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
