"""The HTTP API resolver: admission, routers, validation from the pydantic models, error mapping.

OpenAPI metadata lives in app/api/openapi.py: Powertools' OpenAPI document models take tens of milliseconds
to import, and no request needs them.
"""

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from app.api import health, history, items, jobs
from app.api.admission import admit, parse_json
from app.api.errors import domain_error_response, register_error_handlers
from app.domain.errors import DomainError


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


# The routes parse the admitted body again with the same limits: a few microseconds for a body of an item.
app = AdmittingResolver(enable_validation=True, json_body_deserializer=parse_json)
app.include_router(health.router)
app.include_router(items.router)
app.include_router(history.router)
app.include_router(jobs.router)
register_error_handlers(app)
