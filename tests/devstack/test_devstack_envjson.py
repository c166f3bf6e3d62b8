"""env.json (for sam local --env-vars) is generated from template.yaml and must be committed up to date."""

import json

from devstack.envjson import DEFAULT_ENV_JSON, local_template, render


def test_env_json_is_up_to_date() -> None:
    expected = render(local_template())

    assert DEFAULT_ENV_JSON.read_text() == expected, "run: uv run python -m devstack.envjson"


def test_every_function_points_at_the_container_endpoint() -> None:
    environment = json.loads(DEFAULT_ENV_JSON.read_text())  # up to date: see the test above

    assert {variables["AWS_ENDPOINT_URL"] for variables in environment.values()} == {"http://host.docker.internal:5000"}


def test_api_functions_verify_tokens_of_the_local_pool_under_sam_local() -> None:
    read = json.loads(DEFAULT_ENV_JSON.read_text())["ItemsReadFunction"]

    # The local pool's issuer, client id and JWKS as containers reach it (ids as `make dev` creates them)
    pool_id = read["LOCAL_JWT_ISSUER"].rsplit("/", 1)[1]
    assert read["LOCAL_JWT_ISSUER"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    assert read["LOCAL_JWKS_URL"] == f"http://host.docker.internal:5000/{pool_id}/.well-known/jwks.json"
    assert read["LOCAL_JWT_AUDIENCE"]
