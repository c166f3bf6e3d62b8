"""Routes of an item's audit history, which outlives the item itself."""

from http import HTTPStatus

from aws_lambda_powertools.event_handler.api_gateway import Router

from app.api.dependencies import current_owner, services
from app.api.errors import COMMON_ERRORS, error_responses
from app.api.params import ItemId, PageCursor, PageLimit
from app.api.responses import success
from app.models.history import ItemHistoryPublic

router = Router()


@router.get(
    "/items/<id>/history",
    summary="List an item's changes, newest first (also after the item was deleted)",
    operation_id="getItemHistory",
    responses=success(HTTPStatus.OK, ItemHistoryPublic)
    | error_responses(*COMMON_ERRORS, HTTPStatus.NOT_FOUND, HTTPStatus.UNPROCESSABLE_ENTITY),
)
def item_history(
    id: ItemId,  # noqa: A002
    limit: PageLimit = 20,
    cursor: PageCursor = None,
) -> ItemHistoryPublic:
    owner = current_owner(router.current_event)
    return services().history.item_history(owner=owner, item_id=id, limit=limit, cursor=cursor)
