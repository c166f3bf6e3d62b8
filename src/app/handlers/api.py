"""Entry point of every HTTP API function (health, reads, writes, jobs): they differ by IAM policy and by the
routers they load (API_ROUTERS), not by code."""

import os
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

# First of Powertools' event_handler: app.api installs that package as lazy (app.api.lazy_packages).
from app.api.resolver import STATELESS_ROUTERS, resolver
from app.handlers import init_complete
from app.observability import entry_point
from app.settings import api_routers, get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver


def api() -> "APIGatewayHttpResolver":
    # The variable as this invocation sees it, not the settings cached at cold start: in Lambda it never changes,
    # but the local stack's in-process mode runs several API functions in one process, each invocation with its
    # own function's environment. get_settings() validated it at cold start.
    return resolver(api_routers(os.environ.get("API_ROUTERS", "")))


# Cold start: settings are read (a missing one fails here, loudly), the routes are loaded, and the services of
# those routes built with their clients, once. The health function has no services: it loads neither the wiring
# nor boto3.
if set(get_settings().api_routers) - STATELESS_ROUTERS:
    from app import wiring

    wiring.api_services().build_for(get_settings().api_routers)
api()
init_complete()


@entry_point(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, http_responses=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return api().resolve(event, context)
