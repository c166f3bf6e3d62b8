"""ConditionalWrites directly on moto, as the jobs adapter uses it: an update or a transaction whose first attempt
was applied answers as that attempt would have; a condition that really fails still fails, with the item's image."""

from typing import Any

import pytest

from app.adapters.conditional_writes import WRITE_ID_ATTRIBUTE, ConditionalWrites, ConditionFailed
from devstack.names import Names
from tests.support.faults import FaultInjector

KEY = {"pk": {"S": "OWNER#alice"}, "sk": {"S": "IMPORT#1"}}


@pytest.fixture
def writes(names: Names, faults: FaultInjector) -> ConditionalWrites:
    import boto3

    from app.adapters.aws import CLIENT_CONFIG

    writes = ConditionalWrites(boto3.client("dynamodb", config=CLIENT_CONFIG))
    writes.put(TableName=names["ItemsTable"], Item=KEY | {"nextLine": {"N": "1"}})
    return writes


def advance(writes: ConditionalWrites, names: Names, expected: int) -> dict[str, Any]:
    return writes.update(
        TableName=names["ItemsTable"],
        Key=KEY,
        UpdateExpression="SET nextLine = :next",
        ConditionExpression="nextLine = :expected",
        ExpressionAttributeValues={":next": {"N": str(expected + 25)}, ":expected": {"N": str(expected)}},
        ReturnValues="ALL_NEW",
    )


def test_an_applied_update_whose_answer_was_lost_returns_the_new_item(
    writes: ConditionalWrites, names: Names, faults: FaultInjector
) -> None:
    faults.apply_then_timeout("UpdateItem")

    attributes = advance(writes, names, 1)

    assert attributes["nextLine"] == {"N": "26"}
    assert WRITE_ID_ATTRIBUTE in attributes


def test_an_update_another_call_made_first_is_refused_with_its_image(
    writes: ConditionalWrites, names: Names, faults: FaultInjector
) -> None:
    advance(writes, names, 1)
    faults.apply_then_timeout("UpdateItem", status=500)
    advance(writes, names, 26)  # applied, answer lost, recognised: the second delivery moved on to 51

    with pytest.raises(ConditionFailed) as refused:
        advance(writes, names, 26)  # a duplicate delivery of the same chunk

    assert refused.value.image is not None
    assert refused.value.image["nextLine"] == {"N": "51"}


def test_an_applied_delete_with_a_marker_is_recognised_and_a_missing_item_is_not(
    writes: ConditionalWrites, names: Names, faults: FaultInjector
) -> None:
    marker = {"TableName": names["ItemsTable"], "Item": {"pk": KEY["pk"], "sk": {"S": "DELETED#1"}}}
    faults.apply_then_timeout("TransactWriteItems")

    writes.delete(TableName=names["ItemsTable"], Key=KEY, ConditionExpression="attribute_exists(pk)", marker=marker)
    with pytest.raises(ConditionFailed) as refused:
        writes.delete(TableName=names["ItemsTable"], Key=KEY, ConditionExpression="attribute_exists(pk)", marker=marker)

    assert refused.value.images[0] is None


def test_an_update_must_start_with_set(writes: ConditionalWrites, names: Names) -> None:
    with pytest.raises(ValueError, match="SET"):
        writes.update(TableName=names["ItemsTable"], Key=KEY, UpdateExpression="REMOVE nextLine")


def test_a_transaction_cancelled_by_a_conflict_is_unavailable_not_refused(
    writes: ConditionalWrites, names: Names
) -> None:
    """Another transaction on the same item (TransactionConflict) is transient: 503 and retry, not 404/412."""
    from botocore.stub import Stubber

    from app.domain.errors import DependencyUnavailableError

    client = writes._client
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "transact_write_items",
            service_error_code="TransactionCanceledException",
            modeled_fields={"CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}]},
        )
        with pytest.raises(DependencyUnavailableError):
            writes.delete(
                TableName=names["ItemsTable"], Key=KEY, marker={"TableName": names["ItemsTable"], "Item": KEY}
            )
