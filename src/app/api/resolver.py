"""The HTTP API resolver: routers, validation from the pydantic models, error mapping.

Each API function serves only the routers its settings name (API_ROUTERS in template.yaml), so it imports only
what those routes use: the read function never loads the jobs models, the health function no models or clients.
OpenAPI metadata lives in app/api/openapi.py: Powertools' OpenAPI document models take tens of milliseconds
to import, and no request needs them.
"""

from functools import lru_cache
from importlib import import_module
from typing import get_args

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from app.api.errors import parse_json_body, register_error_handlers
from app.settings import ApiRouter

ROUTERS: tuple[ApiRouter, ...] = get_args(ApiRouter)
# Routers whose routes need no services: a function serving only these creates no client at cold start.
STATELESS_ROUTERS = frozenset({"health"})


# One resolver per container. The cache holds one entry so that tests, which switch between the environments of
# several functions in one process, rebuild it (and re-attach the shared routers to it) when the routers change.
@lru_cache(maxsize=1)
def resolver(routers: tuple[ApiRouter, ...] = ROUTERS) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json_body)
    for name in routers:
        app.include_router(import_module(f"app.api.{name}").router)
    register_error_handlers(app)
    return app
