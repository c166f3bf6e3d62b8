"""Routes of the /items resource."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Header
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.metrics import MetricUnit

from app.api.dependencies import current_owner, services
from app.api.errors import COMMON_ERRORS, error_responses
from app.api.params import ItemId, PageCursor, PageLimit
from app.domain.errors import VersionMismatchError
from app.models.items import ItemCreate, ItemPublic, ItemsPublic, ItemUpdate
from app.observability import metrics

router = Router()

IfMatch = Annotated[str | None, Header(description='The ETag of the version the change applies to, e.g. "3"')]
PRECONDITION_ERRORS = (HTTPStatus.NOT_FOUND, HTTPStatus.PRECONDITION_FAILED)
BODY_ERRORS = (HTTPStatus.BAD_REQUEST, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, HTTPStatus.UNPROCESSABLE_ENTITY)


def etag(item: ItemPublic) -> str:
    return f'"{item.version}"'


def expected_version(if_match: str | None) -> int | None:
    """The version named by If-Match; one that names no version can never match (412)."""
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise VersionMismatchError()
    return int(value)


def item_response(item: ItemPublic, status: HTTPStatus = HTTPStatus.OK) -> Response[ItemPublic]:
    headers = {"ETag": etag(item)}
    if status == HTTPStatus.CREATED:
        headers["Location"] = f"/items/{item.id}"
    return Response(status_code=status, content_type="application/json", body=item, headers=headers)


@router.post(
    "/items",
    summary="Create an item",
    responses={201: OpenAPIResponse(description="Created")}
    | error_responses(*COMMON_ERRORS, *BODY_ERRORS, HTTPStatus.CONFLICT),
)
def create_item(
    item: Annotated[ItemCreate, Body()],
    idempotency_key: Annotated[
        str | None, Header(description="Replays within 24 h return the first response", min_length=1, max_length=128)
    ] = None,
) -> Response[ItemPublic]:
    owner = current_owner(router.current_event)
    if idempotency_key is None:
        created = services().items.create_item(owner=owner, item_in=item)
    else:
        creates = services().idempotent_creates
        # Lets an in-progress record expire when this invocation times out instead of blocking the key for 24 h.
        creates.register_lambda_context(router.lambda_context)
        created = creates.create_item(owner=owner, key=idempotency_key, item_in=item)
    metrics.add_metric(name="ItemCreated", unit=MetricUnit.Count, value=1)
    return item_response(created, HTTPStatus.CREATED)


@router.get(
    "/items",
    summary="List items, newest first",
    responses=error_responses(*COMMON_ERRORS, HTTPStatus.BAD_REQUEST, HTTPStatus.UNPROCESSABLE_ENTITY),
)
def list_items(
    limit: PageLimit = 20,
    cursor: PageCursor = None,
) -> ItemsPublic:
    owner = current_owner(router.current_event)
    return services().items.list_items(owner=owner, limit=limit, cursor=cursor)


@router.get("/items/<id>", summary="Get an item", responses=error_responses(*COMMON_ERRORS, HTTPStatus.NOT_FOUND))
def get_item(id: ItemId) -> Response[ItemPublic]:  # noqa: A002
    owner = current_owner(router.current_event)
    return item_response(services().items.get_item(owner=owner, item_id=id))


@router.put(
    "/items/<id>",
    summary="Replace an item's fields",
    responses=error_responses(*COMMON_ERRORS, *BODY_ERRORS, *PRECONDITION_ERRORS, HTTPStatus.PRECONDITION_REQUIRED),
)
def replace_item(
    id: ItemId,  # noqa: A002
    item: Annotated[ItemUpdate, Body()],
    if_match: IfMatch = None,
) -> Response[ItemPublic]:
    owner = current_owner(router.current_event)
    replaced = services().items.replace_item(
        owner=owner, item_id=id, item_in=item, expected_version=expected_version(if_match)
    )
    return item_response(replaced)


@router.delete(
    "/items/<id>",
    summary="Delete an item",
    responses={204: OpenAPIResponse(description="Deleted")} | error_responses(*COMMON_ERRORS, *PRECONDITION_ERRORS),
)
def delete_item(id: ItemId, if_match: IfMatch = None) -> Response[None]:  # noqa: A002
    owner = current_owner(router.current_event)
    services().items.delete_item(owner=owner, item_id=id, expected_version=expected_version(if_match))
    metrics.add_metric(name="ItemDeleted", unit=MetricUnit.Count, value=1)
    return Response(status_code=HTTPStatus.NO_CONTENT, body=None)
