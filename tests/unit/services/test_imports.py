"""ImportProcessor on in-memory adapters: validation, chunking, exact counts, resumption, continuation."""

import json
from datetime import UTC, datetime

import pytest

from app.domain.errors import ImportFileTooLargeError
from app.domain.ids import derived_item_id
from app.domain.jobs import ImportContinued, import_key
from app.models.jobs import ImportJob, JobStatus
from app.services.imports import CHUNK_ITEMS, ImportOutcome, ImportProcessor
from tests.fakes.jobs import InMemoryFiles, InMemoryItemWrites, InMemoryJobRecords, InMemoryQueue

IMPORT_ID = "01JDQ7Z8X0ABCDEFGHJKMNPQRS"
CREATED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
PLENTY_OF_TIME = 10**9


def jsonl(*lines: object) -> bytes:
    return b"".join((line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n" for line in lines)


class Setup:
    def __init__(self, content: bytes, reserve_ms: int = 1000, max_bytes: int = 10**9) -> None:
        self.items = InMemoryItemWrites()
        self.records = InMemoryJobRecords(self.items)
        self.files = InMemoryFiles(objects={import_key("alice", IMPORT_ID): content})
        self.continuations = InMemoryQueue()
        self.processor = ImportProcessor(
            records=self.records,
            hand_overs=self.records,
            files=self.files,
            continuations=self.continuations,
            min_remaining_ms=reserve_ms,
            max_bytes=max_bytes,
        )
        self.records.add_import(
            ImportJob(owner="alice", import_id=IMPORT_ID, status=JobStatus.PENDING, created_at=CREATED, request_id="r1")
        )

    def start(self) -> ImportJob:
        """Starts the job as its current message does (a continuation after a hand-over)."""
        current = self.job.generation
        job = self.records.start_import(owner="alice", import_id=IMPORT_ID, version_id="v1", generation=current)
        assert job is not None
        return job

    @property
    def job(self) -> ImportJob:
        return self.records.get_import(owner="alice", import_id=IMPORT_ID)


def test_valid_lines_become_items_and_invalid_ones_are_reported_by_line() -> None:
    setup = Setup(
        jsonl(
            {"name": "Lamp", "price": 12.5, "tags": ["home"]},
            b"{not json",
            {"name": ""},
            b"",
            {"name": "Chair", "owner": "mallory"},
            {"name": "Desk"},
        )
    )

    run = setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    assert run.outcome == ImportOutcome.COMPLETED
    job = setup.job
    assert (job.status, job.imported, job.rejected) == (JobStatus.COMPLETED, 2, 3)
    assert [error.line for error in job.errors] == [2, 3, 5]
    assert "name" in job.errors[1].message
    assert "owner" in job.errors[2].message
    lamp = setup.items.items[("alice", derived_item_id(IMPORT_ID, 1))]
    assert (lamp.name, lamp.version, lamp.created_at, lamp.updated_at) == ("Lamp", 1, CREATED, CREATED)
    assert ("alice", derived_item_id(IMPORT_ID, 6)) in setup.items.items


def test_items_are_written_25_at_a_time_and_progress_is_committed_per_chunk() -> None:
    setup = Setup(jsonl(*({"name": f"item {n}"} for n in range(60))))

    setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    assert setup.items.batches == [CHUNK_ITEMS, CHUNK_ITEMS, 10]
    assert setup.job.imported == 60
    assert setup.job.next_line == 61


def test_only_the_first_100_errors_are_kept_but_all_are_counted() -> None:
    setup = Setup(jsonl(*([{"name": ""}] * 150)))

    setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    assert setup.job.rejected == 150
    assert [error.line for error in setup.job.errors] == list(range(1, 101))


def test_an_over_long_line_is_rejected_without_reading_it_whole() -> None:
    setup = Setup(jsonl({"name": "x" * 70_000}, {"name": "ok"}))

    setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    assert (setup.job.imported, setup.job.rejected) == (1, 1)
    assert "longer than" in setup.job.errors[0].message


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted() -> None:
    setup = Setup(b'\xef\xbb\xbf{"name": "a"}\r\n{"name": "b"}\r\n')

    setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    assert (setup.job.imported, setup.job.rejected) == (2, 0)


def test_when_time_runs_low_it_commits_sends_a_continuation_and_the_next_run_finishes() -> None:
    lines = [{"name": f"item {n}"} for n in range(60)]
    setup = Setup(jsonl(*lines), reserve_ms=1000)

    first = setup.processor.run(setup.start(), remaining_ms=lambda: 999)

    assert first.outcome == ImportOutcome.CONTINUED
    assert (setup.job.status, setup.job.imported, setup.job.next_line) == (JobStatus.PROCESSING, 25, 26)
    assert setup.continuations.messages == [
        ImportContinued(owner="alice", import_id=IMPORT_ID, version_id="v1", request_id="r1", generation=1)
    ]
    second = setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)
    assert second.outcome == ImportOutcome.COMPLETED
    # The second run read from the byte after line 25, not from the start of the file.
    assert setup.files.reads[-1] == (import_key("alice", IMPORT_ID), len(jsonl(*lines[:25])))
    assert (setup.job.status, setup.job.imported, len(setup.items.items)) == (JobStatus.COMPLETED, 60, 60)


def test_a_duplicate_delivery_that_loses_the_race_stops_without_counting_twice() -> None:
    setup = Setup(jsonl(*({"name": f"item {n}"} for n in range(30))))
    stale = setup.start()
    setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    late = setup.processor.run(stale, remaining_ms=lambda: PLENTY_OF_TIME)

    assert late.outcome == ImportOutcome.SUPERSEDED
    assert (setup.job.imported, len(setup.items.items)) == (30, 30)


def test_a_resumed_import_never_writes_a_committed_line_again() -> None:
    setup = Setup(jsonl(*({"name": f"item {n}"} for n in range(30))))
    setup.processor.run(setup.start(), remaining_ms=lambda: 999)  # commits lines 1-25, then hands over
    deleted, edited = derived_item_id(IMPORT_ID, 1), derived_item_id(IMPORT_ID, 2)
    del setup.items.items[("alice", deleted)]
    setup.items.items[("alice", edited)] = setup.items.items[("alice", edited)].model_copy(update={"version": 2})

    setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    assert ("alice", deleted) not in setup.items.items
    assert setup.items.items[("alice", edited)].version == 2
    assert (setup.job.status, setup.job.imported, len(setup.items.items)) == (JobStatus.COMPLETED, 30, 29)


def test_a_file_over_the_size_limit_is_refused_before_anything_is_read() -> None:
    content = jsonl({"name": "a"}, {"name": "b"})
    setup = Setup(content, max_bytes=len(content) - 1)

    with pytest.raises(ImportFileTooLargeError, match=f"{len(content)} bytes"):
        setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    assert (setup.files.reads, setup.items.items, setup.job.imported) == ([], {}, 0)


def test_a_final_attempt_that_hands_over_clears_its_deadline() -> None:
    setup = Setup(jsonl(*({"name": f"item {n}"} for n in range(30))))
    job = setup.records.start_import(owner="alice", import_id=IMPORT_ID, version_id="v1", deadline=CREATED)
    assert job is not None

    setup.processor.run(job, remaining_ms=lambda: 999)

    assert setup.records.hand_overs == [("import", IMPORT_ID)]
    assert setup.job.attempt_deadline is None


def test_a_completed_import_does_not_start_again() -> None:
    setup = Setup(jsonl({"name": "a"}))
    setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    assert setup.records.start_import(owner="alice", import_id=IMPORT_ID, version_id="v1") is None


def test_another_version_of_the_file_does_not_start_a_running_import() -> None:
    setup = Setup(jsonl({"name": "a"}))
    setup.start()

    assert setup.records.start_import(owner="alice", import_id=IMPORT_ID, version_id="v2") is None


@pytest.mark.parametrize("content", [b"", b"\n\n"])
def test_an_empty_file_completes_with_nothing_imported(content: bytes) -> None:
    setup = Setup(content)

    run = setup.processor.run(setup.start(), remaining_ms=lambda: PLENTY_OF_TIME)

    assert run.outcome == ImportOutcome.COMPLETED
    assert (setup.job.status, setup.job.imported, setup.job.rejected) == (JobStatus.COMPLETED, 0, 0)
