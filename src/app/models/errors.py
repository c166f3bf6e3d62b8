"""The error body every route returns: {"error": {"code", "message", ...}}; 401s have API Gateway's body."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class FieldError(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True)

    code: str
    message: str
    fields: list[FieldError] | None = None
    request_id: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorDetail


class GatewayMessage(BaseModel):
    """API Gateway's own error body, {"message": "Unauthorized"}: also the API's 401 (see api/errors.py)."""

    message: str
