"""Routes of bulk imports (/imports) and exports (/exports): they start jobs, report on them and delete them."""

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
JOB_DELETE_ERRORS = error_responses(*COMMON_ERRORS, HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT)
DELETE_DESCRIPTION = (
    "Deletes the caller's {kind}: its record and its file in the jobs bucket ({file}). 204 once both are gone;"
    " 404 for an unknown id or another owner's {kind}, and for a repeat after success. 409 JOB_NOT_FINISHED while"
    " the {kind} is {busy}: deleting under the worker would race it; retry once GET reports COMPLETED or FAILED."
    " Safe to retry: a delete stopped half-way is completed by the next one."
)
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


@router.delete(
    "/imports/<id>",
    summary="Delete an import that has finished (or still waits for its upload), with its uploaded file",
    description=DELETE_DESCRIPTION.format(
        kind="import", file="the uploaded file", busy="running (an import still waiting for its upload is deletable)"
    ),
    operation_id="deleteImport",
    responses=success(HTTPStatus.NO_CONTENT, None) | JOB_DELETE_ERRORS,
)
def delete_import(id: JobId) -> Response[None]:  # noqa: A002
    owner = current_owner(router.current_event)
    services().jobs.delete_import(owner=owner, import_id=id)
    return Response(status_code=HTTPStatus.NO_CONTENT, body=None)


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


@router.delete(
    "/exports/<id>",
    summary="Delete a finished export and its file",
    description=DELETE_DESCRIPTION.format(kind="export", file="the exported file, if any", busy="queued or running"),
    operation_id="deleteExport",
    responses=success(HTTPStatus.NO_CONTENT, None) | JOB_DELETE_ERRORS,
)
def delete_export(id: JobId) -> Response[None]:  # noqa: A002
    owner = current_owner(router.current_event)
    services().jobs.delete_export(owner=owner, export_id=id)
    return Response(status_code=HTTPStatus.NO_CONTENT, body=None)
