"""ExportProcessor on in-memory adapters: one JSON line per item, in the shape of GET /items/{id}."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain.jobs import export_key
from app.models.items import ItemPublic
from app.models.jobs import ExportJob, JobStatus
from app.services.exports import ExportProcessor
from tests.fakes.jobs import FakeUpload, InMemoryFiles, InMemoryItemWrites, InMemoryJobRecords

EXPORT_ID = "01JDQ7Z8X0ABCDEFGHJKMNPQRS"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def item(n: int, **fields: object) -> ItemPublic:
    values = {"name": f"item {n}", "id": f"01JDQ7Z8X0{n:016d}", "version": 1, "created_at": NOW, "updated_at": NOW}
    return ItemPublic.model_validate(values | fields)


def setup(*items: ItemPublic) -> tuple[ExportProcessor, InMemoryJobRecords, InMemoryFiles, ExportJob]:
    records, files, writes = InMemoryJobRecords(), InMemoryFiles(), InMemoryItemWrites()
    writes.put_all(owner="alice", items=items)
    writes.put_all(owner="bob", items=[item(99, name="not alice's")])
    records.add_export(
        ExportJob(owner="alice", export_id=EXPORT_ID, status=JobStatus.PENDING, created_at=NOW, request_id="r1")
    )
    job = records.start_export(owner="alice", export_id=EXPORT_ID)
    assert job is not None
    return ExportProcessor(records=records, items=writes, files=files), records, files, job


def test_every_item_of_the_owner_is_one_line_and_the_job_completes_with_the_count() -> None:
    processor, records, files, job = setup(item(1, price=Decimal("19.99"), tags=["a"]), item(2))

    assert processor.run(job) == 2

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

    assert processor.run(job) == 0
    assert files.objects[export_key("alice", EXPORT_ID)] == b""


class BrokenUpload(FakeUpload):
    def write(self, data: bytes) -> None:
        raise OSError("connection reset")


def test_a_failure_aborts_the_upload_and_leaves_the_job_open() -> None:
    processor, records, files, job = setup(item(1))
    upload = BrokenUpload(files, export_key("alice", EXPORT_ID))
    files.open_upload = lambda *, key: upload  # type: ignore[method-assign]

    with pytest.raises(OSError, match="connection reset"):
        processor.run(job)

    assert upload.aborted
    assert export_key("alice", EXPORT_ID) not in files.objects
    assert records.get_export(owner="alice", export_id=EXPORT_ID).status == JobStatus.PROCESSING
