"""The messages the worker accepts: S3 notifications of uploads, and its own job messages."""

import json

import pytest
from pydantic import ValidationError

from app.domain.job_messages import parse_job_messages
from app.domain.jobs import ExportRequested, ImportContinued, ImportUploaded, import_key

IMPORT_ID = "01JDQ7Z8X0ABCDEFGHJKMNPQRS"


def s3_notification(key: str, event_name: str = "ObjectCreated:Post") -> str:
    record = {"eventName": event_name, "s3": {"bucket": {"name": "b"}, "object": {"key": key, "versionId": "v1"}}}
    return json.dumps({"Records": [record]})


def test_an_s3_notification_becomes_an_upload_message() -> None:
    messages = parse_job_messages(s3_notification(import_key("alice", IMPORT_ID)))

    assert messages == [ImportUploaded(owner="alice", import_id=IMPORT_ID, version_id="v1")]


def test_s3_test_events_and_foreign_keys_are_nothing_to_do() -> None:
    test_event = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"})

    assert parse_job_messages(test_event) == []
    assert parse_job_messages(s3_notification("exports/alice/x.jsonl")) == []
    assert parse_job_messages(s3_notification(import_key("alice", IMPORT_ID), "ObjectRemoved:Delete")) == []


@pytest.mark.parametrize(
    "message",
    [
        ExportRequested(owner="alice", export_id=IMPORT_ID, request_id="req-1"),
        ImportContinued(owner="alice", import_id=IMPORT_ID, version_id="v1", request_id="req-1"),
    ],
)
def test_own_messages_round_trip(message: ExportRequested | ImportContinued) -> None:
    assert parse_job_messages(message.model_dump_json(by_alias=True)) == [message]


@pytest.mark.parametrize("body", ['{"kind": "export.requested"}', '{"kind": "nope", "owner": "a"}', "[]", "null"])
def test_malformed_messages_raise(body: str) -> None:
    with pytest.raises(ValidationError):
        parse_job_messages(body)


def test_a_body_that_is_not_json_raises() -> None:
    with pytest.raises(ValueError, match="Expecting value"):
        parse_job_messages("not json")
