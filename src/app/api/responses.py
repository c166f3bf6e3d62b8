"""OpenAPI descriptions of success responses: body model, headers and links, declared beside the routes.

Links (app.api.owned_routes) name the operations a client can call next with values from the response;
schemathesis' stateful tests follow them (create -> get -> replace -> delete). The history is left out: it outlives
the item by design, which a stateful test would take for a deleted resource still being served.
"""

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse


def header(description: str) -> dict[str, Any]:
    return {"description": description, "required": True, "schema": {"type": "string"}}


LOCATION = {"Location": header("Path of the created resource")}


def success(
    status: HTTPStatus,
    model: Any,
    *,
    headers: dict[str, Any] | None = None,
    links: dict[str, Any] | None = None,
) -> dict[int, OpenAPIResponse]:
    # No model, no body: an empty content map (openapi.py drops it), else Powertools describes the return type.
    response: dict[str, Any] = {"description": status.phrase, "content": {}}
    if model is not None:
        response["content"] = {"application/json": {"model": model}}
    if headers:
        response["headers"] = headers
    if links:
        response["links"] = links
    return {int(status): response}  # type: ignore[dict-item]
