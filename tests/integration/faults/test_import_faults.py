"""Imports under injected faults on the worker's real clients (moto): every line imported exactly once,
the job COMPLETED, whatever happens to the calls that commit a chunk."""

from collections.abc import Callable
from typing import Any

import pytest

from app import wiring
from devstack.names import Names
from tests.integration.handlers.test_imports_exports import drain, jsonl, owner_items, start_import
from tests.support.apigw import json_body
from tests.support.job_faults import KINDS, Fault, Kind, faults

Call = Callable[..., dict[str, Any]]
Worker = Callable[[dict[str, Any], Any], dict[str, Any]]
# Whatever call commits an import's chunk: it always sets the record's next line.
COMMIT_OPERATIONS = ("UpdateItem", "TransactWriteItems")


def commits_progress(body: dict[str, Any]) -> bool:
    return "nextLine = :nextLine" in str(body)


@pytest.mark.parametrize("kind", KINDS)
def test_a_faulty_progress_commit_still_imports_every_line_once(
    kind: Kind, jobs_call: Call, jobs_worker: Worker, names: Names
) -> None:
    import_id = start_import(jobs_call, jsonl(*({"name": f"item {n}"} for n in range(60))))
    injected = [Fault(kind, "dynamodb", operation, match=commits_progress) for operation in COMMIT_OPERATIONS]

    with faults(*injected):
        wiring.job_worker.cache_clear()  # the worker's clients are created inside the block, with the faults
        drain(names, "ImportQueue", jobs_worker)

    assert sum(fault.fired for fault in injected) == 1
    report = json_body(jobs_call("GET", f"/imports/{import_id}"))
    assert (report["status"], report["imported"], report["rejected"]) == ("COMPLETED", 60, 0)
    assert len(owner_items(names)) == 60
