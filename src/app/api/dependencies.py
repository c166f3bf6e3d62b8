"""Values routes receive through Powertools Depends: the caller's identity and the services.

Routers annotate their parameters with the aliases at the bottom (`services: Services, owner: Owner`).
"""

from typing import Annotated

from aws_lambda_powertools.event_handler.depends import Depends
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


def current_request_id(request: Request) -> str:
    """API Gateway's id of this request: jobs keep it, so the worker's logs of a job carry it too."""
    return str(request.resolved_event.raw_event.get("requestContext", {}).get("requestId", ""))


Services = Annotated[ApiServices, Depends(get_api_services)]
Owner = Annotated[str, Depends(current_owner)]
RequestId = Annotated[str, Depends(current_request_id)]
