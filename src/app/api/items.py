"""Routes of the /items resource."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Header
from aws_lambda_powertools.metrics import MetricUnit

from app.api.dependencies import current_owner, services
from app.api.errors import COMMON_ERRORS, error_responses
from app.api.owned_routes import (
    PRECONDITION_ERRORS,
    IfMatch,
    OptionalIfMatch,
    etag_header,
    if_match_condition,
    resource_links,
    versioned_response,
)
from app.api.params import ItemId, PageCursor, PageLimit
from app.api.responses import LOCATION, success
from app.domain.resource_kinds import ITEMS
from app.models.items import ItemCreate, ItemPublic, ItemsPublic, ItemUpdate
from app.observability import metrics

router = Router()

VALIDATION = HTTPStatus.UNPROCESSABLE_ENTITY
ETAG = etag_header(ITEMS)
ITEM_LINKS = resource_links(ITEMS)


def item_response(item: ItemPublic, status: HTTPStatus = HTTPStatus.OK) -> Response[ItemPublic]:
    return versioned_response(ITEMS, item, status)


@router.post(
    "/items",
    summary="Create an item",
    operation_id="createItem",
    responses=success(HTTPStatus.CREATED, ItemPublic, headers=ETAG | LOCATION, links=ITEM_LINKS)
    | error_responses(*COMMON_ERRORS, VALIDATION, HTTPStatus.CONFLICT),
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
    operation_id="listItems",
    responses=success(HTTPStatus.OK, ItemsPublic) | error_responses(*COMMON_ERRORS, VALIDATION),
)
def list_items(
    limit: PageLimit = 20,
    cursor: PageCursor = None,
) -> ItemsPublic:
    owner = current_owner(router.current_event)
    return services().items.list_items(owner=owner, limit=limit, cursor=cursor)


@router.get(
    "/items/<id>",
    summary="Get an item",
    operation_id="getItem",
    responses=success(HTTPStatus.OK, ItemPublic, headers=ETAG, links=ITEM_LINKS)
    | error_responses(*COMMON_ERRORS, HTTPStatus.NOT_FOUND),
)
def get_item(id: ItemId) -> Response[ItemPublic]:  # noqa: A002
    owner = current_owner(router.current_event)
    return item_response(services().items.get_item(owner=owner, item_id=id))


@router.put(
    "/items/<id>",
    summary="Replace an item's fields",
    operation_id="replaceItem",
    responses=success(HTTPStatus.OK, ItemPublic, headers=ETAG, links=ITEM_LINKS)
    | error_responses(*COMMON_ERRORS, VALIDATION, *PRECONDITION_ERRORS, HTTPStatus.PRECONDITION_REQUIRED),
)
def replace_item(
    id: ItemId,  # noqa: A002
    item: Annotated[ItemUpdate, Body()],
    if_match: IfMatch,
) -> Response[ItemPublic]:
    owner = current_owner(router.current_event)
    condition = if_match_condition(if_match)
    return item_response(services().items.replace_item(owner=owner, item_id=id, item_in=item, if_match=condition))


@router.delete(
    "/items/<id>",
    summary="Delete an item",
    operation_id="deleteItem",
    responses=success(HTTPStatus.NO_CONTENT, None) | error_responses(*COMMON_ERRORS, *PRECONDITION_ERRORS),
)
def delete_item(id: ItemId, if_match: OptionalIfMatch = None) -> Response[None]:  # noqa: A002
    owner = current_owner(router.current_event)
    services().items.delete_item(owner=owner, item_id=id, if_match=if_match_condition(if_match))
    metrics.add_metric(name="ItemDeleted", unit=MetricUnit.Count, value=1)
    return Response(status_code=HTTPStatus.NO_CONTENT, body=None)
