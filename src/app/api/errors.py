"""The one place where errors become HTTP responses with the body {"error": {"code", "message", ...}}."""

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
    errors.MalformedRequestError: (HTTPStatus.BAD_REQUEST, "MALFORMED_JSON"),
    errors.ItemNotFoundError: (HTTPStatus.NOT_FOUND, "NOT_FOUND"),
    errors.JobNotFoundError: (HTTPStatus.NOT_FOUND, "NOT_FOUND"),
    # make resource: not-found statuses above
    errors.RequestInProgressError: (HTTPStatus.CONFLICT, "REQUEST_IN_PROGRESS"),
    errors.JobNotFinishedError: (HTTPStatus.CONFLICT, "JOB_NOT_FINISHED"),
    errors.VersionMismatchError: (HTTPStatus.PRECONDITION_FAILED, "PRECONDITION_FAILED"),
    errors.PayloadTooLargeError: (HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE"),
    errors.UnsupportedMediaTypeError: (HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE"),
    errors.IdempotencyKeyReusedError: (HTTPStatus.UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED"),
    errors.PreconditionRequiredError: (HTTPStatus.PRECONDITION_REQUIRED, "PRECONDITION_REQUIRED"),
    errors.DependencyUnavailableError: (HTTPStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE"),
}
RETRY_AFTER_SECONDS = "1"
# Answered by API Gateway itself with {"message": ...}: the JWT authorizer (401) and route throttling (429).
GATEWAY_ERRORS = (HTTPStatus.UNAUTHORIZED, HTTPStatus.TOO_MANY_REQUESTS)
# What the admission step (app/api/admission.py) answers to any request whose body it refuses.
ADMISSION_ERRORS = (HTTPStatus.BAD_REQUEST, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
# What any authenticated route can answer, whatever it does.
COMMON_ERRORS = (*GATEWAY_ERRORS, *ADMISSION_ERRORS, HTTPStatus.SERVICE_UNAVAILABLE, HTTPStatus.INTERNAL_SERVER_ERROR)


def error_response(status: HTTPStatus, detail: ErrorDetail, headers: dict[str, str] | None = None) -> Response[Any]:
    body = ErrorResponse(error=detail).model_dump_json(by_alias=True, exclude_none=True)
    return Response(status_code=status, content_type="application/json", body=body, headers=headers)


def error_responses(*statuses: HTTPStatus) -> dict[int, OpenAPIResponse]:
    """OpenAPI `responses` for the given error statuses: the shared error body, or the gateway's message."""
    ours: dict[str, Any] = {"application/json": {"model": ErrorResponse}}
    gateway: dict[str, Any] = {"application/json": {"model": GatewayMessage}}
    return {
        int(status): {
            "description": f"{status.phrase} (API Gateway)" if status in GATEWAY_ERRORS else status.phrase,
            "content": gateway if status in GATEWAY_ERRORS else ours,
        }
        for status in statuses
    }


def _status_of(error: errors.DomainError) -> tuple[HTTPStatus, str]:
    for kind in type(error).__mro__:
        if kind in ERROR_STATUS:
            return ERROR_STATUS[kind]
    return HTTPStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR"


def domain_error_response(error: errors.DomainError) -> Response[Any]:
    if isinstance(error, errors.NotAuthenticatedError):
        # Behind the JWT authorizer this cannot happen; if it does, it looks exactly like the authorizer's answer.
        body = GatewayMessage(message="Unauthorized").model_dump_json()
        return Response(status_code=HTTPStatus.UNAUTHORIZED, content_type="application/json", body=body)
    status, code = _status_of(error)
    headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == HTTPStatus.SERVICE_UNAVAILABLE else None
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        logger.warning("dependency unavailable", exc_info=error)
    return error_response(status, ErrorDetail(code=code, message=str(error)), headers)


def _field_name(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location)


def _is_missing_if_match(problem: dict[str, Any]) -> bool:
    return problem.get("type") == "missing" and tuple(problem.get("loc", ())) == ("header", "if-match")


def validation_error_response(problems: list[dict[str, Any]]) -> Response[Any]:
    # If-Match is a required header, but its absence alone has its own status (RFC 6585): 428.
    if len(problems) == 1 and _is_missing_if_match(problems[0]):
        return domain_error_response(errors.PreconditionRequiredError())
    fields = [FieldError(field=_field_name(p.get("loc", ())), message=str(p.get("msg"))) for p in problems]
    detail = ErrorDetail(code="VALIDATION_ERROR", message="The request is invalid.", fields=fields)
    return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, detail)


def register_error_handlers(app: APIGatewayHttpResolver) -> None:
    app.exception_handler(errors.DomainError)(domain_error_response)

    @app.exception_handler(RequestValidationError)
    def handle_validation_error(error: RequestValidationError) -> Response[Any]:
        return validation_error_response(list(error.errors()))

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
