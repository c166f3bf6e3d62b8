"""GET /health: answers without a token and touches no dependency, for load balancers and smoke tests."""

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel

router = Router()


class Health(BaseModel):
    status: str


@router.get("/health", summary="Liveness check (no token needed)", security=[])
def health() -> Health:
    return Health(status="ok")
