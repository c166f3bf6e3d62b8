"""What only `sam local` may get (a local AWS endpoint, tokens verified by the function) is absent when deployed.

The `expanded` fixture (tests/static/conftest.py) is the template expanded by scripts/expand_template.py under every
deployable parameter set of scripts/parameter_sets.py, conditions resolved: exactly what each stack deploys. The
sam local expansion (LocalAwsEndpointUrl set, as samconfig.toml sets it for local commands) is the control that
shows these tests can fail. A template Rule refuses LocalAwsEndpointUrl with Stage=prod (test_template_rules.py).
"""

import json
from pathlib import Path
from typing import Any

import pytest

from devstack.template import load_template
from tests.static.conftest import ROOT, expand

LOCAL_ONLY_VARIABLES = {"AWS_ENDPOINT_URL", "LOCAL_JWT_ISSUER", "LOCAL_JWT_AUDIENCE", "LOCAL_JWKS_URL"}
API_FUNCTIONS = ("ItemsReadFunction", "ItemsWriteFunction", "JobsFunction")


def environments(expanded: dict[str, Any]) -> dict[str, set[str]]:
    """Function logical id -> the names of its environment variables in an expanded, resolved template."""
    return {
        logical_id: set(resource["Properties"].get("Environment", {}).get("Variables", {}))
        for logical_id, resource in expanded["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Function"
    }


@pytest.fixture(scope="module")
def sam_local_expansion(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    target = tmp_path_factory.mktemp("sam-local") / "expanded.json"
    expand(str(ROOT / "template.yaml"), str(target), "LocalAwsEndpointUrl=http://host.docker.internal:5000")
    expanded: dict[str, Any] = json.loads(Path(target).read_text())
    return expanded


def test_deployed_functions_never_get_the_sam_local_variables(expanded: dict[str, dict[str, Any]]) -> None:
    assert expanded, "no parameter set was expanded"
    for name, template in expanded.items():
        for function, variables in environments(template).items():
            assert not variables & LOCAL_ONLY_VARIABLES, f"{function} under {name}"


def test_under_sam_local_the_api_functions_get_what_verifies_tokens(sam_local_expansion: dict[str, Any]) -> None:
    found = environments(sam_local_expansion)

    for function in API_FUNCTIONS:
        assert found[function] >= LOCAL_ONLY_VARIABLES, function


def test_no_route_declares_authorization_scopes() -> None:
    # Under sam local the functions verify tokens with no scopes (app/api/dependencies.py): a route or authorizer
    # with AuthorizationScopes must first teach them its scopes, or sam local would let through what AWS refuses.
    template = load_template(region="us-east-1")

    assert [route.route_key for route in template.routes() if route.scopes] == []
    for api in template.http_apis().values():
        assert all("AuthorizationScopes" not in authorizer for authorizer in api.authorizers.values())
