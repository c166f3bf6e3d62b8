"""The HTTP API resolver: routers, validation from the pydantic models, error mapping, OpenAPI metadata."""

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

from app.api import health, items
from app.api.errors import parse_json_body, register_error_handlers

app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json_body)
app.configure_openapi(
    title="Items API",
    version="1.0.0",
    summary="CRUD over items, owned by the caller's JWT subject.",
    security_schemes={"jwt": HTTPBearer(bearerFormat="JWT")},
    security=[{"jwt": []}],
)
app.include_router(health.router)
app.include_router(items.router)
register_error_handlers(app)
