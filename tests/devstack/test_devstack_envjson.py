"""env.json (for sam local --env-vars) is generated from template.yaml and must be committed up to date."""

from devstack.envjson import DEFAULT_ENV_JSON, render
from devstack.template import load_template


def test_env_json_is_up_to_date() -> None:
    expected = render(load_template(region="us-east-1"))

    assert DEFAULT_ENV_JSON.read_text() == expected, "run: uv run python -m devstack.envjson"


def test_every_function_points_at_the_container_endpoint() -> None:
    environment = render(load_template(region="us-east-1"))

    assert "http://host.docker.internal:5000" in environment
