"""Entry point of every HTTP API function (health, reads, writes): they differ by IAM policy, not by code."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from app import wiring
from app.api.resolver import app
from app.observability import entry_point

# Cold start: settings are read (a missing one fails here, loudly) and clients are created once.
wiring.api_services()


@entry_point(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    wiring.api_services().idempotent_creates.register_lambda_context(context)
    return app.resolve(event, context)
