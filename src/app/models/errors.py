"""The error body every route returns: {"error": {"code", "message", ...}}."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class FieldError(BaseModel):
    # Built by the first error response, as every model (models/items.py): most invocations never build them.
    model_config = ConfigDict(defer_build=True)

    field: str
    message: str


class ErrorDetail(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, defer_build=True)

    code: str
    message: str
    fields: list[FieldError] | None = None
    request_id: str | None = None


class ErrorResponse(BaseModel):
    model_config = ConfigDict(defer_build=True)

    error: ErrorDetail


class GatewayMessage(BaseModel):
    """API Gateway's own answers, such as 401 {"message": "Unauthorized"} from the JWT authorizer."""

    model_config = ConfigDict(defer_build=True)

    message: str
