"""The HTTP API resolver: admission, routers, validation from the pydantic models, error mapping.

Each API function serves only the routers its settings name (API_ROUTERS in template.yaml), so it imports only
what those routes use: the read function never loads the jobs models, the health function no models or clients.
OpenAPI metadata lives in app/api/openapi.py: Powertools' OpenAPI document models take tens of milliseconds
to import, and no request needs them.
"""

from collections.abc import Mapping
from functools import lru_cache
from importlib import import_module
from typing import Any, get_args

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from app.api.admission import admit, parse_json
from app.api.errors import domain_error_response, register_error_handlers
from app.domain.errors import DomainError
from app.settings import ApiRouter

ROUTERS: tuple[ApiRouter, ...] = get_args(ApiRouter)
# Routers whose routes need no services: a function serving only these creates no client at cold start.
STATELESS_ROUTERS = frozenset({"health"})


class AdmittingResolver(APIGatewayHttpResolver):
    """Powertools' HTTP API resolver with the admission step in front of routing: a refused request meets no route."""

    def resolve(self, event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
        try:
            admitted = admit(event)
        except DomainError as refusal:
            response = domain_error_response(refusal)
            return {
                "statusCode": response.status_code,
                "headers": {"Content-Type": "application/json", **(response.headers or {})},
                "body": response.body,
                "isBase64Encoded": False,
                "cookies": [],
            }
        return super().resolve(admitted, context)


# One resolver per container. The cache holds one entry so that tests, which switch between the environments of
# several functions in one process, rebuild it (and re-attach the shared routers to it) when the routers change.
@lru_cache(maxsize=1)
def resolver(routers: tuple[ApiRouter, ...] = ROUTERS) -> APIGatewayHttpResolver:
    # The routes parse the admitted body again with the same limits: a few microseconds for a body of an item.
    app = AdmittingResolver(enable_validation=True, json_body_deserializer=parse_json)
    for name in routers:
        app.include_router(import_module(f"app.api.{name}").router)
    register_error_handlers(app)
    return app
