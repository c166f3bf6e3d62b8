"""ExportProcessor on in-memory adapters: one JSON line per item, in the shape of GET /items/{id}."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain.jobs import ExportContinued, export_key
from app.models.items import ItemPublic
from app.models.jobs import ExportJob, JobStatus
from app.services.exports import ExportOutcome, ExportProcessor, ExportRun, export_line
from tests.fakes.jobs import InMemoryFiles, InMemoryJobRecords, InMemoryQueue

EXPORT_ID = "01JDQ7Z8X0ABCDEFGHJKMNPQRS"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
continuations = InMemoryQueue()


def item(n: int, **fields: object) -> ItemPublic:
    values = {"name": f"item {n}", "id": f"01JDQ7Z8X0{n:016d}", "version": 1, "created_at": NOW, "updated_at": NOW}
    return ItemPublic.model_validate(values | fields)


PLENTY_OF_TIME = 10**9


def setup(
    *items: ItemPublic, part_bytes: int = 8 * 1024 * 1024
) -> tuple[ExportProcessor, InMemoryJobRecords, InMemoryFiles, ExportJob]:
    records, files = InMemoryJobRecords(), InMemoryFiles(part_bytes=part_bytes)
    records.items.put_all(owner="alice", items=items)
    records.items.put_all(owner="bob", items=[item(99, name="not alice's")])
    records.add_export(
        ExportJob(owner="alice", export_id=EXPORT_ID, status=JobStatus.PENDING, created_at=NOW, request_id="r1")
    )
    job = records.start_export(owner="alice", export_id=EXPORT_ID)
    assert job is not None
    processor = ExportProcessor(
        progress=records,
        records=records,
        items=records.items,
        files=files,
        continuations=continuations,
        min_remaining_ms=1000,
    )
    return processor, records, files, job


def test_every_item_of_the_owner_is_one_line_and_the_job_completes_with_the_count() -> None:
    processor, records, files, job = setup(item(1, price=Decimal("19.99"), tags=["a"]), item(2))

    assert processor.run(job, remaining_ms=lambda: PLENTY_OF_TIME) == ExportRun(ExportOutcome.COMPLETED, 2)

    lines = [json.loads(line) for line in files.objects[export_key("alice", EXPORT_ID)].splitlines()]
    assert [line["name"] for line in lines] == ["item 1", "item 2"]
    assert lines[0] | {"createdAt": "t", "updatedAt": "t"} == {
        "name": "item 1",
        "description": None,
        "price": 19.99,
        "tags": ["a"],
        "id": "01JDQ7Z8X00000000000000001",
        "version": 1,
        "createdAt": "t",
        "updatedAt": "t",
    }
    exported = records.get_export(owner="alice", export_id=EXPORT_ID)
    assert (exported.status, exported.item_count) == (JobStatus.COMPLETED, 2)


def test_an_owner_without_items_gets_an_empty_file() -> None:
    processor, _, files, job = setup()

    assert processor.run(job, remaining_ms=lambda: PLENTY_OF_TIME).exported == 0
    assert files.objects[export_key("alice", EXPORT_ID)] == b""


def test_when_time_runs_low_it_checkpoints_hands_over_and_the_next_run_finishes_the_same_file() -> None:
    items = [item(n) for n in range(1, 11)]
    line = len(export_line(items[0]))
    processor, records, files, job = setup(*items, part_bytes=3 * line)  # a part every 3 items
    continuations.messages.clear()

    first = processor.run(job, remaining_ms=lambda: 999)

    assert first == ExportRun(ExportOutcome.CONTINUED, 3)
    checkpoint = records.get_export(owner="alice", export_id=EXPORT_ID).checkpoint
    assert (checkpoint.exported, checkpoint.last_item_id, len(checkpoint.etags)) == (3, items[2].id, 1)
    assert continuations.messages == [
        ExportContinued(owner="alice", export_id=EXPORT_ID, request_id="r1", generation=1)
    ]
    resumed = records.start_export(owner="alice", export_id=EXPORT_ID, generation=1)
    assert resumed is not None
    second = processor.run(resumed, remaining_ms=lambda: PLENTY_OF_TIME)
    assert second == ExportRun(ExportOutcome.COMPLETED, 10)
    assert files.objects[export_key("alice", EXPORT_ID)] == b"".join(export_line(i) for i in items)
    assert files.uploads == {}


def test_a_duplicate_delivery_that_loses_the_checkpoint_race_stops_and_aborts_its_own_upload() -> None:
    items = [item(n) for n in range(1, 5)]
    processor, records, files, job = setup(*items, part_bytes=2 * len(export_line(items[0])))
    stale = job
    processor.run(job, remaining_ms=lambda: PLENTY_OF_TIME)
    records.exports[("alice", EXPORT_ID)] = records.exports[("alice", EXPORT_ID)].model_copy(
        update={"status": JobStatus.PROCESSING}
    )

    late = processor.run(stale, remaining_ms=lambda: PLENTY_OF_TIME)

    assert late.outcome == ExportOutcome.SUPERSEDED
    assert files.aborted == ["upload-2"]


def test_a_failure_keeps_the_checkpointed_upload_for_the_retry_and_abandon_aborts_it() -> None:
    items = [item(n) for n in range(1, 5)]
    processor, records, files, job = setup(*items, part_bytes=2 * len(export_line(items[0])))
    calls = 0

    def flaky_clock() -> int:
        nonlocal calls
        calls += 1
        if calls == 1:  # the first time check, after the first checkpoint
            raise OSError("connection reset")
        return PLENTY_OF_TIME

    with pytest.raises(OSError, match="connection reset"):
        processor.run(job, remaining_ms=flaky_clock)

    failed = records.fail_export(owner="alice", export_id=EXPORT_ID, reason="given up")
    assert failed is not None
    assert failed.checkpoint.upload_id == "upload-1"
    assert files.aborted == []
    processor.abandon(failed)
    assert (files.aborted, files.uploads) == (["upload-1"], {})
    assert export_key("alice", EXPORT_ID) not in files.objects
