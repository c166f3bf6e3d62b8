"""Writes the OpenAPI spec generated from the routes: `python -m app.api.openapi openapi.json`."""

import sys
from pathlib import Path


def openapi_json() -> str:
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    from app.api.resolver import ROUTERS, resolver

    spec = resolver(ROUTERS).get_openapi_json_schema(
        title="Items API",
        version="1.0.0",
        summary="CRUD over items, owned by the caller's JWT subject (the HTTP API's JWT authorizer checks the token).",
        security_schemes={"jwt": HTTPBearer(bearerFormat="JWT")},
        security=[{"jwt": []}],
    )
    return spec + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(openapi_json())
