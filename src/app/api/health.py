"""GET /health: answers without a token and touches no dependency, for load balancers and smoke tests."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel

from app.api.errors import ADMISSION_ERRORS, error_responses
from app.api.responses import success

router = Router()


class Health(BaseModel):
    status: str


@router.get(
    "/health",
    summary="Liveness check (no token needed)",
    operation_id="health",
    security=[{}],  # {}: no requirement (an empty list would inherit the global one)
    responses=success(HTTPStatus.OK, Health) | error_responses(HTTPStatus.TOO_MANY_REQUESTS, *ADMISSION_ERRORS),
)
def health() -> Health:
    return Health(status="ok")
