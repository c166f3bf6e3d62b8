"""The audit function's entry point with Powertools batch processing, on an in-memory audit log."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from app.domain.audit import HistoryEntry
from app.domain.errors import DependencyUnavailableError
from app.domain.ids import new_item_id
from app.models.items import ItemPublic
from app.services.audit import AuditRecorder
from tests.fakes.audit import InMemoryAuditLog
from tests.support.apigw import LambdaContext
from tests.support.streams import item_image, lambda_event, sequence_numbers, stream_record

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
AT = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


class FlakyAuditLog(InMemoryAuditLog):
    """Fails to store the entries of the given stream events, as a throttled table would after its retries."""

    def __init__(self) -> None:
        super().__init__()
        self.failing: set[str] = set()

    def append(self, *, entry: HistoryEntry, **where: Any) -> None:
        if entry.event_id in self.failing:
            raise DependencyUnavailableError()
        super().append(entry=entry, **where)


@pytest.fixture
def log() -> FlakyAuditLog:
    return FlakyAuditLog()


@pytest.fixture
def handler(log: FlakyAuditLog, monkeypatch: pytest.MonkeyPatch) -> Handler:
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "365")
    from app.handlers import audit

    recorder = AuditRecorder(log=log, retention=timedelta(days=365))
    monkeypatch.setattr(audit, "audit_recorder", lambda: recorder)
    return audit.handler


def inserts(count: int) -> dict[str, Any]:
    items = [
        ItemPublic(name=f"n{n}", price=Decimal(n), id=new_item_id(), version=1, created_at=AT, updated_at=AT)
        for n in range(count)
    ]
    return lambda_event([stream_record("INSERT", new=item_image("alice", item)) for item in items])


def test_a_batch_of_changes_leaves_one_entry_each(handler: Handler, log: FlakyAuditLog) -> None:
    event = inserts(3)

    response = handler(event, LambdaContext())

    assert response == {"batchItemFailures": []}
    assert sorted(entry.event_id for entry in log.entries()) == sorted(r["eventID"] for r in event["Records"])


def test_partial_failure_reports_exactly_the_failed_sequence_numbers(handler: Handler, log: FlakyAuditLog) -> None:
    event = inserts(5)
    log.failing = {event["Records"][1]["eventID"], event["Records"][3]["eventID"]}
    sequence = sequence_numbers(event)

    response = handler(event, LambdaContext())

    assert response == {"batchItemFailures": [{"itemIdentifier": sequence[1]}, {"itemIdentifier": sequence[3]}]}
    assert len(log.entries()) == 3


def test_a_poison_record_fails_alone(handler: Handler, log: FlakyAuditLog) -> None:
    event = inserts(3)
    event["Records"][1]["dynamodb"]["NewImage"]["sk"] = {"S": "ITEM#not-an-id"}

    response = handler(event, LambdaContext())

    assert response == {"batchItemFailures": [{"itemIdentifier": sequence_numbers(event)[1]}]}
    assert len(log.entries()) == 2


def test_a_batch_that_fails_entirely_is_a_function_error_so_lambda_bisects_it(
    handler: Handler, log: FlakyAuditLog
) -> None:
    event = inserts(2)
    log.failing = {record["eventID"] for record in event["Records"]}

    with pytest.raises(BatchProcessingError):
        handler(event, LambdaContext())


def test_a_replayed_batch_writes_no_duplicates(handler: Handler, log: FlakyAuditLog) -> None:
    event = inserts(4)

    handler(event, LambdaContext())
    response = handler(event, LambdaContext())

    assert response == {"batchItemFailures": []}
    assert len(log.entries()) == 4


def test_records_that_are_not_items_are_skipped_without_error(handler: Handler, log: FlakyAuditLog) -> None:
    job = {
        "pk": {"S": "OWNER#alice"},
        "sk": {"S": "EXPORT#01JDQ50A1B2C3D4E5F6G7H8J9K"},
        "entity": {"S": "Export"},
        "status": {"S": "RUNNING"},
    }
    event = lambda_event([stream_record("INSERT", new=job), stream_record("MODIFY", old=job, new=job)])

    assert handler(event, LambdaContext()) == {"batchItemFailures": []}
    assert log.entries() == []
