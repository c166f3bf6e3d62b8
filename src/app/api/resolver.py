"""The HTTP API resolver: routers, validation from the pydantic models, error mapping.

OpenAPI metadata lives in app/api/openapi.py: Powertools' OpenAPI document models take tens of milliseconds
to import, and no request needs them.
"""

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from app.api import health, history, items, jobs
from app.api.errors import parse_json_body, register_error_handlers

app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json_body)
app.include_router(health.router)
app.include_router(items.router)
app.include_router(history.router)
app.include_router(jobs.router)
register_error_handlers(app)
