"""What routes need besides their declared parameters: the caller's identity, the request id and the services.

Routes call these rather than declaring Powertools `Depends()` parameters: Powertools 3.x rebuilds a route's
dependency tree (typing.get_type_hints over its signature) on every request, about 45 us of a warm path whose
whole budget is 100 us. Tests swap the services with `monkeypatch.setattr(wiring, "api_services", ...)`.
"""

from typing import Any

from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from app import wiring
from app.domain.errors import NotAuthenticatedError
from app.wiring import ApiServices


def services() -> ApiServices:
    return wiring.api_services()


def current_owner(event: BaseProxyEvent) -> str:
    """The token's `sub`: the HTTP API JWT authorizer already verified the token and passes its claims."""
    context: dict[str, Any] = event.raw_event.get("requestContext", {})
    claims = context.get("authorizer", {}).get("jwt", {}).get("claims", {})
    owner = claims.get("sub") if isinstance(claims, dict) else None
    if not isinstance(owner, str) or not owner:
        raise NotAuthenticatedError()
    return owner


def current_request_id(event: BaseProxyEvent) -> str:
    """API Gateway's id of this request: jobs keep it, so the worker's logs of a job carry it too."""
    return str(event.raw_event.get("requestContext", {}).get("requestId", ""))
