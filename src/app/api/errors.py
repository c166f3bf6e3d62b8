"""The one place where errors become HTTP responses with the body {"error": {"code", "message", ...}}."""

import json
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from app.domain import errors
from app.models.errors import ErrorDetail, ErrorResponse, FieldError, GatewayMessage
from app.observability import logger

# Domain error -> (status, code). The OpenAPI spec documents the same table through error_responses().
ERROR_STATUS: dict[type[errors.DomainError], tuple[HTTPStatus, str]] = {
    errors.InvalidCursorError: (HTTPStatus.BAD_REQUEST, "INVALID_CURSOR"),
    errors.ItemNotFoundError: (HTTPStatus.NOT_FOUND, "NOT_FOUND"),
    errors.JobNotFoundError: (HTTPStatus.NOT_FOUND, "NOT_FOUND"),
    errors.RequestInProgressError: (HTTPStatus.CONFLICT, "REQUEST_IN_PROGRESS"),
    errors.VersionMismatchError: (HTTPStatus.PRECONDITION_FAILED, "PRECONDITION_FAILED"),
    errors.PayloadTooLargeError: (HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE"),
    errors.IdempotencyKeyReusedError: (HTTPStatus.UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED"),
    errors.PreconditionRequiredError: (HTTPStatus.PRECONDITION_REQUIRED, "PRECONDITION_REQUIRED"),
    errors.DependencyUnavailableError: (HTTPStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE"),
}
RETRY_AFTER_SECONDS = "1"
# The HTTP API JWT authorizer's answer to a missing or invalid token; the API gives the same when it finds no claims.
UNAUTHORIZED_BODY = GatewayMessage(message="Unauthorized").model_dump_json()
UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
# What any authenticated route can answer, whatever it does.
COMMON_ERRORS = (HTTPStatus.UNAUTHORIZED, HTTPStatus.SERVICE_UNAVAILABLE, HTTPStatus.INTERNAL_SERVER_ERROR)


def error_response(status: HTTPStatus, detail: ErrorDetail, headers: dict[str, str] | None = None) -> Response[Any]:
    body = ErrorResponse(error=detail).model_dump_json(by_alias=True, exclude_none=True)
    return Response(status_code=status, content_type="application/json", body=body, headers=headers)


def error_responses(*statuses: HTTPStatus) -> dict[int, OpenAPIResponse]:
    """OpenAPI `responses` for the given error statuses, all with the shared error body."""
    content: dict[str, Any] = {"application/json": {"model": ErrorResponse}}
    gateway: dict[str, Any] = {"application/json": {"model": GatewayMessage}}
    return {
        int(status): {
            "description": status.phrase,
            "content": gateway if status == HTTPStatus.UNAUTHORIZED else content,
        }
        for status in statuses
    }


def _status_of(error: errors.DomainError) -> tuple[HTTPStatus, str]:
    for kind in type(error).__mro__:
        if kind in ERROR_STATUS:
            return ERROR_STATUS[kind]
    return HTTPStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR"


def _field_name(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location)


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    @app.exception_handler(errors.NotAuthenticatedError)
    def handle_not_authenticated(_: errors.NotAuthenticatedError) -> Response[Any]:
        # Not the {"error": ...} body: a client sees one 401, whether the gateway or the function refused it.
        status, body = HTTPStatus.UNAUTHORIZED, UNAUTHORIZED_BODY
        return Response(
            status_code=status, content_type="application/json", body=body, headers=dict(UNAUTHORIZED_HEADERS)
        )

    @app.exception_handler(errors.DomainError)
    def handle_domain_error(error: errors.DomainError) -> Response[Any]:
        status, code = _status_of(error)
        headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == HTTPStatus.SERVICE_UNAVAILABLE else None
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            logger.warning("dependency unavailable", exc_info=error)
        return error_response(status, ErrorDetail(code=code, message=str(error)), headers)

    @app.exception_handler(RequestValidationError)
    def handle_validation_error(error: RequestValidationError) -> Response[Any]:
        problems = error.errors()
        if any(problem.get("type") == "json_invalid" for problem in problems):
            detail = ErrorDetail(code="MALFORMED_JSON", message="The request body is not valid JSON.")
            return error_response(HTTPStatus.BAD_REQUEST, detail)
        fields = [FieldError(field=_field_name(p.get("loc", ())), message=str(p.get("msg"))) for p in problems]
        detail = ErrorDetail(code="VALIDATION_ERROR", message="The request is invalid.", fields=fields)
        return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, detail)

    @app.not_found
    def handle_unknown_route(_: Exception) -> Response[Any]:
        return error_response(HTTPStatus.NOT_FOUND, ErrorDetail(code="NOT_FOUND", message="No such route."))

    @app.exception_handler(Exception)
    def handle_unexpected(_: Exception) -> Response[Any]:
        # Everything the caller gets is the request id; the details go to the logs under the same id.
        logger.exception("unhandled error")
        request_id = app.current_event.request_context.request_id
        detail = ErrorDetail(code="INTERNAL_ERROR", message="Internal error.", request_id=request_id)
        return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, detail)


MAX_BODY_BYTES = 64 * 1024


def parse_json_body(body: str) -> Any:
    """JSON body parser of the resolver: refuses oversized bodies before any parsing or validation."""
    # The character count settles most bodies without encoding them; multi-byte text needs the byte count.
    if len(body) > MAX_BODY_BYTES or len(body.encode()) > MAX_BODY_BYTES:
        raise errors.PayloadTooLargeError(f"The request body exceeds {MAX_BODY_BYTES} bytes.")
    return json.loads(body)
