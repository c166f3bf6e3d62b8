"""The audit function records the changes of every registered resource, and skips (logs, counts) the unknown."""

import json
from datetime import timedelta
from typing import Any

import pytest

from app.adapters import resource_stream
from app.domain.ids import new_resource_id
from app.domain.resource_kinds import ITEMS, JOBS
from app.domain.resources import ResourceRegistry
from app.services.audit import AuditRecorder
from tests.fakes.audit import InMemoryAuditLog
from tests.support.apigw import LambdaContext
from tests.support.kinds import PATRONS
from tests.support.streams import lambda_event, stream_record

Handler = Any
UNKNOWN = "UnknownEntitySkipped"


@pytest.fixture
def log() -> InMemoryAuditLog:
    return InMemoryAuditLog()


@pytest.fixture
def handler(log: InMemoryAuditLog, monkeypatch: pytest.MonkeyPatch) -> Handler:
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "365")
    from app.handlers import audit

    recorder = AuditRecorder(log=log, retention=timedelta(days=365))
    monkeypatch.setattr(audit, "audit_recorder", lambda: recorder)
    return audit.handler


def patron_image(patron_id: str, **fields: Any) -> dict[str, Any]:
    values = {"entity": PATRONS.entity, "name": "Ada", "email": "ada@example.com", "updatedBy": "alice"} | fields
    keys = {"pk": {"S": "OWNER#alice"}, "sk": {"S": PATRONS.key_prefix + patron_id}}
    return keys | {name: {"S": value} for name, value in values.items() if value is not None}


def emitted(output: str, name: str) -> list[float]:
    documents = [json.loads(line) for line in output.splitlines() if line.startswith("{") and '"_aws"' in line]
    return [value for document in documents for value in document.get(name, [])]


def test_a_registered_resources_changes_are_audited_in_a_history_of_their_own(
    handler: Handler, log: InMemoryAuditLog, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(resource_stream, "RESOURCES", ResourceRegistry((ITEMS, PATRONS), others=(JOBS,)))
    patron_id = new_resource_id()
    created, renamed = patron_image(patron_id), patron_image(patron_id, name="Ada L.")
    event = lambda_event([stream_record("INSERT", new=created), stream_record("MODIFY", old=created, new=renamed)])

    assert handler(event, LambdaContext()) == {"batchItemFailures": []}

    history = log.list_newest_first(kind=PATRONS, owner="alice", item_id=patron_id, limit=10, after=None)
    assert [(entry.type, entry.actor) for entry in history.entries] == [("MODIFY", "alice"), ("INSERT", "alice")]
    assert history.entries[0].changes["name"].new == "Ada L."
    assert log.list_newest_first(kind=ITEMS, owner="alice", item_id=patron_id, limit=10, after=None).entries == []
    assert emitted(capsys.readouterr().out, "PatronChangeAudited") == [1.0, 1.0]


@pytest.mark.parametrize("entity", ["Patron", None], ids=["an unregistered kind", "no entity"])
def test_records_of_an_unknown_entity_are_skipped_logged_and_counted(
    handler: Handler,
    log: InMemoryAuditLog,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    entity: str | None,
) -> None:
    image = patron_image(new_resource_id(), entity=entity)
    event = lambda_event([stream_record("INSERT", new=image), stream_record("REMOVE", old=image)])

    assert handler(event, LambdaContext()) == {"batchItemFailures": []}

    assert log.entries() == []
    assert emitted(capsys.readouterr().out, UNKNOWN) == [1.0, 1.0]
    warnings = [record for record in caplog.records if record.levelname == "WARNING"]
    assert [record.getMessage() for record in warnings] == ["Stream record of an unregistered entity skipped"] * 2
    assert [getattr(record, "entity", "absent") for record in warnings] == [entity] * 2


@pytest.mark.parametrize("entity", ["Export", "Import", "ItemDeletion", "ItemCreation"])
def test_known_records_that_are_no_change_are_skipped_without_a_count(
    handler: Handler, log: InMemoryAuditLog, capsys: pytest.CaptureFixture[str], entity: str
) -> None:
    image = patron_image(new_resource_id(), entity=entity)

    assert handler(lambda_event([stream_record("INSERT", new=image)]), LambdaContext()) == {"batchItemFailures": []}

    assert log.entries() == []
    assert emitted(capsys.readouterr().out, UNKNOWN) == []


def test_histories_of_two_kinds_never_share_a_partition() -> None:
    from app.adapters.dynamodb_audit import history_key

    same_id = new_resource_id()
    assert history_key(ITEMS, "alice", same_id) == f"ITEM#alice#{same_id}"  # the partitions items already have
    assert history_key(PATRONS, "alice", same_id) != history_key(ITEMS, "alice", same_id)
