"""Routes of bulk imports (/imports) and exports (/exports): they start jobs and report on them."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from app.api.dependencies import current_owner, current_request_id, services
from app.api.errors import COMMON_ERRORS, error_responses
from app.api.params import JobId
from app.api.responses import LOCATION, success
from app.models.jobs import ExportCreated, ExportPublic, ImportCreated, ImportPublic

router = Router()

IMPORT_LINKS = {"GetImport": {"operationId": "getImport", "parameters": {"path.id": "$response.body#/importId"}}}
EXPORT_LINKS = {"GetExport": {"operationId": "getExport", "parameters": {"path.id": "$response.body#/exportId"}}}


def accepted[T](body: T, location: str) -> Response[T]:
    return Response(
        status_code=HTTPStatus.ACCEPTED, content_type="application/json", body=body, headers={"Location": location}
    )


@router.post(
    "/imports",
    summary="Start an import: returns a presigned POST for a JSONL file, one POST /items body per line",
    operation_id="createImport",
    responses=success(HTTPStatus.ACCEPTED, ImportCreated, headers=LOCATION, links=IMPORT_LINKS)
    | error_responses(*COMMON_ERRORS),
)
def create_import() -> Response[ImportCreated]:
    owner = current_owner(router.current_event)
    created = services().jobs.create_import(owner=owner, request_id=current_request_id(router.current_event))
    return accepted(created, f"/imports/{created.import_id}")


@router.get(
    "/imports/<id>",
    summary="An import's status, counts and first 100 rejected lines",
    operation_id="getImport",
    responses=success(HTTPStatus.OK, ImportPublic) | error_responses(*COMMON_ERRORS, HTTPStatus.NOT_FOUND),
)
def get_import(id: JobId) -> ImportPublic:  # noqa: A002
    owner = current_owner(router.current_event)
    return services().jobs.get_import(owner=owner, import_id=id)


@router.post(
    "/exports",
    summary="Start an export of all the caller's items to a JSONL file",
    operation_id="createExport",
    responses=success(HTTPStatus.ACCEPTED, ExportCreated, headers=LOCATION, links=EXPORT_LINKS)
    | error_responses(*COMMON_ERRORS),
)
def create_export() -> Response[ExportCreated]:
    owner = current_owner(router.current_event)
    created = services().jobs.create_export(owner=owner, request_id=current_request_id(router.current_event))
    return accepted(created, f"/exports/{created.export_id}")


@router.get(
    "/exports/<id>",
    summary="An export's status; once COMPLETED, a presigned download URL valid for 15 minutes",
    operation_id="getExport",
    responses=success(HTTPStatus.OK, ExportPublic) | error_responses(*COMMON_ERRORS, HTTPStatus.NOT_FOUND),
)
def get_export(id: JobId) -> ExportPublic:  # noqa: A002
    owner = current_owner(router.current_event)
    return services().jobs.get_export(owner=owner, export_id=id)
