"""Values routes receive through Powertools Depends: the caller's identity and the services."""

from aws_lambda_powertools.event_handler.request import Request

from app.domain.errors import NotAuthenticatedError
from app.wiring import ApiServices, api_services


def get_api_services() -> ApiServices:
    return api_services()


def current_owner(request: Request) -> str:
    """The token's `sub`: the HTTP API JWT authorizer already verified the token and passes its claims."""
    event = request.resolved_event.raw_event
    claims = event.get("requestContext", {}).get("authorizer", {}).get("jwt", {}).get("claims", {})
    owner = claims.get("sub") if isinstance(claims, dict) else None
    if not isinstance(owner, str) or not owner:
        raise NotAuthenticatedError()
    return owner
