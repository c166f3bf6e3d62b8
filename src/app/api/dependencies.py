"""What routes need besides their declared parameters: the caller's identity, the request id and the services.

Routes call these rather than declaring Powertools `Depends()` parameters: Powertools 3.x rebuilds a route's
dependency tree (typing.get_type_hints over its signature) on every request, about 45 us of a warm path whose
whole budget is 100 us. Tests swap the services with `monkeypatch.setattr(wiring, "api_services", ...)`.
"""

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from app import wiring
from app.domain.errors import NotAuthenticatedError
from app.observability import logger
from app.settings import get_settings
from app.wiring import ApiServices

if TYPE_CHECKING:
    from app.auth.jwt_verifier import JwtVerifier


def services() -> ApiServices:
    return wiring.api_services()


def current_owner(event: BaseProxyEvent) -> str:
    """The token's `sub`: the HTTP API JWT authorizer already verified the token and passes its claims.

    Without an authorizer context (sam local skips JWT authorizers), the token is verified here as the authorizer
    would, but only where the template configured it for sam local; anywhere else the answer is the gateway's 401.
    """
    context: dict[str, Any] = event.raw_event.get("requestContext", {})
    claims = ((context.get("authorizer") or {}).get("jwt") or {}).get("claims")
    if not claims:
        claims = _claims_verified_here(event)
    owner = claims.get("sub") if isinstance(claims, dict) else None
    if not isinstance(owner, str) or not owner:
        raise NotAuthenticatedError()
    return owner


@cache
def _local_verifier(issuer: str, audience: str, jwks_url: str | None) -> "JwtVerifier":
    # Imported here: only sam local runs get this far, deployed cold starts never load joserfc.
    from app.auth.jwt_verifier import JwtVerifier

    return JwtVerifier(issuer=issuer, audience=tuple(audience.split(",")), jwks_url=jwks_url)


def _claims_verified_here(event: BaseProxyEvent) -> dict[str, Any]:
    settings = get_settings()
    if settings.local_jwt_issuer is None or settings.local_jwt_audience is None:
        raise NotAuthenticatedError()
    from app.auth.jwt_verifier import UnauthorizedError

    verifier = _local_verifier(settings.local_jwt_issuer, settings.local_jwt_audience, settings.local_jwks_url)
    try:
        # No route of the template declares AuthorizationScopes (tests/static checks it), so none are required.
        return verifier.verify(event.headers.get("authorization") or "")
    except UnauthorizedError as error:
        logger.info("token refused", reason=str(error))
        raise NotAuthenticatedError() from error


def current_request_id(event: BaseProxyEvent) -> str:
    """API Gateway's id of this request: jobs keep it, so the worker's logs of a job carry it too."""
    return str(event.raw_event.get("requestContext", {}).get("requestId", ""))
