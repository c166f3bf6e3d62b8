"""Writes the OpenAPI spec generated from the routes: `python -m app.api.openapi openapi.json`."""

import json
import sys
from pathlib import Path
from typing import Any

# Powertools documents a 422 with its own body on every operation (and its schemas for it); our routes declare
# theirs, with our error body, where a parameter or body can fail validation. The generic ones are dropped.
_POWERTOOLS_VALIDATION = {"$ref": "#/components/schemas/HTTPValidationError"}
_POWERTOOLS_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")


def _schema_of(response: dict[str, Any]) -> Any:
    return response.get("content", {}).get("application/json", {}).get("schema")


def _as_implemented(spec: dict[str, Any]) -> dict[str, Any]:
    for operations in spec["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            if _schema_of(responses.get("422", {})) == _POWERTOOLS_VALIDATION:
                del responses["422"]
            for response in responses.values():
                if response.get("content") == {}:  # no body, e.g. 204
                    del response["content"]
    for name in _POWERTOOLS_SCHEMAS:
        spec["components"]["schemas"].pop(name, None)
    return spec


def openapi_json() -> str:
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    from app.api.resolver import app

    spec = app.get_openapi_json_schema(
        title="Items API",
        version="1.0.0",
        summary="CRUD over items, owned by the caller's JWT subject (the HTTP API's JWT authorizer checks the token).",
        security_schemes={"jwt": HTTPBearer(bearerFormat="JWT")},
        security=[{"jwt": []}],
    )
    return json.dumps(_as_implemented(json.loads(spec)), indent=2) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(openapi_json())
