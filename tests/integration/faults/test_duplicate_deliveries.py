"""Two deliveries of one job message at once (SQS standard queues deliver at least once), through the real worker,
wiring and clients on moto.

The delivery that loses the race (SUPERSEDED) must not lose its message: deleting it deletes the winner's copy too,
and a winner killed at its timeout would then leave the job PROCESSING for good (issue 9). It defers a delayed copy
and succeeds (a batch failure would fail the invocation and count towards the dead-letter queue, issue 19). A
message older than the job's last hand-over is stale: a continuation carries the job on, so it is deleted without
running.
"""

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from app import wiring
from app.domain.ids import derived_item_id
from app.job_settings import get_jobs_worker_settings
from app.services.exports import export_line
from devstack.names import Names
from tests.integration.faults.test_export_faults import (
    add_items,
    checkpoints,
    export_message,
    exported_file,
    open_uploads,
    small_parts,  # noqa: F401 (autouse: small parts, so that an export checkpoints several times)
)
from tests.integration.faults.test_import_faults import LINES, lines, take_notification
from tests.integration.handlers.test_imports_exports import drain, owner_items, start_import
from tests.support.apigw import LambdaContext, json_body
from tests.support.kills import Kill, killing, run_until_killed
from tests.support.sqs import end_delays, sqs_event, sqs_record

Call = Callable[..., dict[str, Any]]
Worker = Callable[[dict[str, Any], Any], dict[str, Any]]
LOSER = "second-delivery"


class Gate:
    """Holds the loser's thread before its first chunk commit is sent, until the test opens the gate."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()

    def before(self, event_name: str, **_: Any) -> None:
        if event_name == "before-send.dynamodb.TransactWriteItems" and threading.current_thread().name == LOSER:
            self.reached.set()
            assert self.opened.wait(60)


@contextlib.contextmanager
def gated() -> Iterator[Gate]:
    gate = Gate()
    events = boto3._get_default_session()._session.get_component("event_emitter")
    events.register_first("before-send", gate.before)
    try:
        yield gate
    finally:
        gate.opened.set()
        events.unregister("before-send", gate.before)


@contextlib.contextmanager
def recorded() -> Iterator[list[str]]:
    """The calls that clients created inside the block send, by event name."""
    calls: list[str] = []
    events = boto3._get_default_session()._session.get_component("event_emitter")

    def record(event_name: str, **_: Any) -> None:
        calls.append(event_name)

    events.register_first("before-send", record)
    try:
        yield calls
    finally:
        events.unregister("before-send", record)


def delivered(jobs_worker: Worker, record: dict[str, Any]) -> str:
    """What becomes of a batch of one message: deleted, or kept (every record failed: the invocation fails)."""
    try:
        response = jobs_worker(sqs_event([record]), context())
    except BatchProcessingError:
        return "kept"
    assert response == {"batchItemFailures": []}
    return "deleted"


def superseded_by_a_killed_winner(jobs_worker: Worker, record: dict[str, Any], gate: Gate, kill: Kill) -> list[str]:
    """Two deliveries of `record`: the loser starts first and waits at the gate, the winner runs until `kill` stops
    it, then the loser goes on and finds the winner's commit (SUPERSEDED). Returns what became of its message."""
    responses: list[str] = []
    wiring.job_worker.cache_clear()
    loser = threading.Thread(target=lambda: responses.append(delivered(jobs_worker, record)), name=LOSER, daemon=True)
    loser.start()
    assert gate.reached.wait(60)
    run_until_killed(lambda: winner(jobs_worker, record), [kill])
    gate.opened.set()
    loser.join(60)
    return responses


def winner(jobs_worker: Worker, record: dict[str, Any]) -> None:
    """The run the test kills. Both runs share the handler module's BatchProcessor (in Lambda, one environment runs
    one invocation at a time): once released, the parked winner's exit sees the loser's failure; that is no news."""
    with contextlib.suppress(BatchProcessingError):
        jobs_worker(sqs_event([record]), context())


def context(timeout_ms: int = 300_000) -> LambdaContext:
    return LambdaContext(function_name="JobsWorkerFunction", timeout_ms=timeout_ms)


def test_a_superseded_delivery_defers_a_copy_so_a_killed_winner_is_resumed_and_nothing_fails(
    jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    import_id = start_import(jobs_call, lines())
    body = take_notification(names, import_id)
    record = sqs_record(body)
    # The winner commits lines 1-25, then is killed before its second commit (lines 26-30) is sent.
    kill = Kill(
        "dynamodb",
        ("TransactWriteItems",),
        match=lambda b: derived_item_id(import_id, 26) in json.dumps(b),
        applied=False,
    )

    with gated() as gate, killing(kill):
        # The loser starts the job at line 1 and waits at its first commit; once the winner is killed, its commit of
        # lines 1-25 finds the job at line 26.
        assert superseded_by_a_killed_winner(jobs_worker, record, gate, kill) == ["deleted"]
        report = json_body(jobs_call("GET", f"/imports/{import_id}"))
        assert (report["status"], report["imported"]) == ("PROCESSING", 25)
    # The winner was killed; the loser's delayed copy arrives after any run of the winner and resumes the job.
    assert len(end_delays(names["ImportQueue"])) == 1
    drain(names, "ImportQueue", jobs_worker)

    report = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert (report["status"], report["imported"], report["rejected"]) == ("COMPLETED", LINES, 0)
    # Item ids derive from (import, line): every line is one item, and no line became two.
    ids = sorted(item["sk"]["S"].removeprefix("ITEM#") for item in owner_items(names))
    assert ids == sorted(derived_item_id(import_id, line) for line in range(1, LINES + 1))


def test_a_message_older_than_the_last_hand_over_is_deleted_without_running(
    jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    import_id = start_import(jobs_call, lines())
    body = take_notification(names, import_id)
    wiring.job_worker.cache_clear()
    # 1 s left, below the reserve: the run commits lines 1-25 and hands over to a continuation message.
    assert jobs_worker(sqs_event([sqs_record(body)]), context(1000)) == {"batchItemFailures": []}
    handed_over = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert (handed_over["status"], handed_over["imported"]) == ("PROCESSING", 25)

    # A late duplicate of the notification, on its final attempt: deleted, nothing run, and the job not FAILED.
    stale = sqs_record(body, receive_count=get_jobs_worker_settings().max_receive_count)
    with recorded() as calls:
        wiring.job_worker.cache_clear()
        assert delivered(jobs_worker, stale) == "deleted"
    assert "before-send.s3.GetObject" not in calls
    assert "before-send.dynamodb.TransactWriteItems" not in calls
    assert json_body(jobs_call("GET", f"/imports/{import_id}")) == handed_over

    drain(names, "ImportQueue", jobs_worker)
    report = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert (report["status"], report["imported"]) == ("COMPLETED", LINES)
    assert len(owner_items(names)) == LINES


def test_a_superseded_export_delivery_defers_a_copy_so_a_killed_winner_is_resumed(
    jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    items = add_items(names, "alice")
    export_id, body = export_message(jobs_call, names)
    record = sqs_record(body)
    # The winner checkpoints its first part, then is killed before its second checkpoint is sent.
    kill = Kill(
        "dynamodb",
        ("TransactWriteItems",),
        match=lambda b: checkpoints(b) and threading.current_thread().name != LOSER,
        skip=1,
        applied=False,
    )

    with gated() as gate, killing(kill):
        # The loser starts the export and waits at its first checkpoint, which then finds the winner's.
        assert superseded_by_a_killed_winner(jobs_worker, record, gate, kill) == ["deleted"]
        assert json_body(jobs_call("GET", f"/exports/{export_id}"))["status"] == "PROCESSING"
    assert len(end_delays(names["ExportQueue"])) == 1  # the loser's delayed copy, now due
    drain(names, "ExportQueue", jobs_worker)

    assert exported_file(jobs_call, export_id, "alice") == b"".join(export_line(item) for item in items)
    assert open_uploads(names) == []
