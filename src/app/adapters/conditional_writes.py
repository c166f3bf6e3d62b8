"""Conditional writes that recognise their own earlier attempt: the one way every adapter writes conditionally.

botocore retries a call whose answer was lost (a read timeout, a 500), and DynamoDB may already have applied the
first attempt. The retry's condition then fails against the write this very call made, and the caller would get
the answer of a conflict (412, 404, "already exists", "another delivery moved on") for a write that succeeded.

The mechanism, the same for PutItem, UpdateItem, DeleteItem and TransactWriteItems (Put, Update, Delete actions):
- each call stores a fresh write id with what it writes (attribute `writeId`). botocore sends the same
  parameters on every attempt, so all attempts of one call carry the same write id, and no other call has it;
- a failed condition returns the item as it now is (ReturnValuesOnConditionCheckFailure=ALL_OLD);
- if that image carries this call's write id, an earlier attempt was applied and nothing has written the item
  since: the call succeeded, and the image is the item as the call left it (what ReturnValues=ALL_NEW returns);
- a delete leaves no image to compare, so it puts a marker record (e.g. a tombstone) in the same transaction, on
  the sole condition that the marker does not already carry this call's write id: a retry after the transaction
  was applied fails only there, and that image carries the write id. (A delete without a marker falls back to
  ResponseMetadata.RetryAttempts > 0 with no item found, which cannot tell an earlier refused attempt.)
Otherwise the condition really failed, and ConditionFailed carries the current image (None when there is no item),
from which the adapter raises its domain error. Throttling and unreachable endpoints, after botocore's retries,
become DependencyUnavailableError as everywhere else.

Usage, e.g. a job transition (UpdateExpression must start with SET: the write id joins that clause):

    writes = ConditionalWrites(client)
    try:
        attributes = writes.update(TableName=t, Key=k, UpdateExpression="SET #s = :s", ConditionExpression=c, ...)
    except ConditionFailed as failed:
        ...  # failed.image: the item as it is, or None; the condition really did not hold
"""

import uuid
from typing import Any

from botocore.exceptions import ClientError

from app.adapters.aws import error_code, unavailable_on_transient_errors
from app.domain.errors import DependencyUnavailableError

WRITE_ID_ATTRIBUTE = "writeId"
_WRITE_ID_VALUE = ":writeId"
_NOT_THIS_CALLS = f"attribute_not_exists({WRITE_ID_ATTRIBUTE}) OR {WRITE_ID_ATTRIBUTE} <> {_WRITE_ID_VALUE}"


class ConditionFailed(Exception):  # noqa: N818 (an outcome the adapter translates, not an error to show)
    """The condition did not hold, and not because of this call's own earlier attempt."""

    def __init__(self, image: dict[str, Any] | None, images: list[dict[str, Any] | None] | None = None) -> None:
        super().__init__("conditional write refused")
        self.image = image
        # TransactWriteItems: the image of each action, in order (None where the action's item is absent).
        self.images = images or [image]


def _retried(response: dict[str, Any]) -> bool:
    return int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0)) > 0


def _carries(image: dict[str, Any] | None, token: str) -> bool:
    return image is not None and image.get(WRITE_ID_ATTRIBUTE) == {"S": token}


def _with_write_id(update_expression: str) -> str:
    if not update_expression.startswith("SET "):
        raise ValueError("a conditional update must start with a SET clause, which the write id joins")
    return f"SET {WRITE_ID_ATTRIBUTE} = {_WRITE_ID_VALUE}, " + update_expression.removeprefix("SET ")


def _action_with_write_id(action: dict[str, Any], token: str) -> dict[str, Any]:
    """A TransactWriteItems action that stores `token` (Put, Update) and returns its item on a failed condition."""
    (kind, request), *_ = action.items()
    request = request | {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
    if kind == "Put":
        request["Item"] = request["Item"] | {WRITE_ID_ATTRIBUTE: {"S": token}}
    elif kind == "Update":
        request["UpdateExpression"] = _with_write_id(request["UpdateExpression"])
        request["ExpressionAttributeValues"] = request.get("ExpressionAttributeValues", {}) | {
            _WRITE_ID_VALUE: {"S": token}
        }
    return {kind: request}


class ConditionalWrites:
    def __init__(self, client: Any) -> None:
        self._client = client

    def put(self, *, Item: dict[str, Any], **request: Any) -> dict[str, Any]:  # noqa: N803 (botocore's names)
        """Puts the item (with this call's write id); returns the item as stored."""
        token = uuid.uuid4().hex
        item = Item | {WRITE_ID_ATTRIBUTE: {"S": token}}
        self._call("put_item", token, Item=item, **request)
        return item

    def update(self, *, UpdateExpression: str, **request: Any) -> dict[str, Any]:  # noqa: N803
        """Updates the item (and its write id); returns the attributes botocore returns for ReturnValues."""
        token = uuid.uuid4().hex
        values = request.pop("ExpressionAttributeValues", {}) | {_WRITE_ID_VALUE: {"S": token}}
        response = self._call(
            "update_item",
            token,
            UpdateExpression=_with_write_id(UpdateExpression),
            ExpressionAttributeValues=values,
            **request,
        )
        return dict(response.get("Attributes", {}))

    def delete(self, *, marker: dict[str, Any] | None = None, **request: Any) -> None:
        """Deletes the item. A deleted item leaves no image to compare, so give a `marker` (TableName and Item: a
        record kept beside it, such as a tombstone): the delete and the marker's put become one transaction, and
        the marker carries this call's write id (the marker's own condition is only that). Without a marker, a
        retried call that finds no item counts as its own delete (ResponseMetadata.RetryAttempts > 0), which cannot
        tell an earlier attempt that was refused (throttled) from one that was applied."""
        if marker is None:
            self._call("delete_item", None, **request)
        else:
            self.transact([{"Delete": request}], marker=marker)

    def transact(self, actions: list[dict[str, Any]], *, marker: dict[str, Any] | None = None) -> None:
        """TransactWriteItems, all or none. Puts and updates carry this call's write id; `marker` (TableName, Item)
        is a record put on the sole condition that it does not already carry it (see `delete`)."""
        token = uuid.uuid4().hex
        transaction = [_action_with_write_id(action, token) for action in actions]
        if marker is not None:
            guard = {
                "ConditionExpression": _NOT_THIS_CALLS,
                "ExpressionAttributeValues": {_WRITE_ID_VALUE: {"S": token}},
            }
            transaction.append(_action_with_write_id({"Put": marker | guard}, token))
        self._call("transact_write_items", token, TransactItems=transaction)

    def _call(self, operation: str, token: str | None, **request: Any) -> Any:
        try:
            if operation != "transact_write_items":  # a transaction asks per action
                request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
            with unavailable_on_transient_errors():
                return getattr(self._client, operation)(**request)
        except ClientError as error:
            code = error_code(error)
            response: dict[str, Any] = dict(error.response)
            if code == "TransactionCanceledException":
                return self._cancelled(error, response, token or "")
            if code != "ConditionalCheckFailedException":
                raise
            image = response.get("Item")
            own = _carries(image, token) if token is not None else image is None and _retried(response)
            if not own:
                raise ConditionFailed(image) from error
            return {"Attributes": image} if image is not None else {}

    @staticmethod
    def _cancelled(error: ClientError, response: dict[str, Any], token: str) -> dict[str, Any]:
        reasons: list[dict[str, Any]] = response.get("CancellationReasons", [])
        refused = [reason for reason in reasons if reason.get("Code") not in (None, "None")]
        if any(reason.get("Code") != "ConditionalCheckFailed" for reason in refused):
            # A conflict with another transaction, or throttling of one action: transient, the caller may retry.
            raise DependencyUnavailableError() from error
        # This call's write id on any item proves the transaction was applied (all or none) by an earlier attempt.
        # (On AWS, the ClientRequestToken botocore adds already makes such a retry succeed within 10 minutes.)
        if any(_carries(reason.get("Item"), token) for reason in refused):
            return {}
        images = [reason.get("Item") for reason in reasons]
        raise ConditionFailed(next((image for image in images if image is not None), None), images) from error
