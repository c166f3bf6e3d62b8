"""Functions run side by side in execution environments of their own, as in Lambda (devstack/execution).

The fixture stack's SlowFunction (Timeout 2 s, tests/e2e/fixtures/handlers/e2e_slow.py) sleeps as asked and
answers with its process id and its module's invocation counter.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.e2e.localstack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
CONCURRENCY = 4  # the stack's default per function


def slow(stack: Stack, seconds: float, **query: str) -> requests.Response:
    return requests.get(f"{stack.base_url}/slow", params={"seconds": str(seconds), **query}, timeout=60)


def side_by_side(stack: Stack, count: int, seconds: float) -> list[requests.Response]:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: slow(stack, seconds), range(count)))


@pytest.fixture(scope="module")
def warm(fixture_stack: Stack) -> Stack:
    """Every environment of SlowFunction started (cold starts take seconds on a loaded machine)."""
    side_by_side(fixture_stack, CONCURRENCY, 0.5)
    return fixture_stack


def test_invocations_run_side_by_side_each_environment_with_its_own_module_state(warm: Stack) -> None:
    started = time.monotonic()
    answers = side_by_side(warm, CONCURRENCY, 1.0)
    elapsed = time.monotonic() - started

    bodies: list[dict[str, Any]] = [answer.json() for answer in answers]
    assert [answer.status_code for answer in answers] == [200] * CONCURRENCY
    assert len({body["pid"] for body in bodies}) == CONCURRENCY  # one environment each
    assert elapsed < CONCURRENCY * 1.0  # not one after the other
    counters = {body["pid"]: body["invocations"] for body in bodies}
    assert sum(counters.values()) == 2 * CONCURRENCY  # each counted its own two invocations (warm-up and this)


def test_waiting_for_a_free_environment_does_not_count_toward_the_timeout(warm: Stack) -> None:
    """Six runs of 1.5 s with four environments and a 2 s timeout: the last two wait about 1.5 s, then run."""
    answers = side_by_side(warm, CONCURRENCY + 2, 1.5)

    assert [answer.status_code for answer in answers] == [200] * (CONCURRENCY + 2)
    assert all(answer.json()["remainingAtStart"] > 1900 for answer in answers)


def test_a_run_past_its_timeout_is_killed_and_its_environment_replaced(warm: Stack, tmp_path: Path) -> None:
    marker = tmp_path / "finally"
    pids_before = {answer.json()["pid"] for answer in side_by_side(warm, CONCURRENCY, 0.1)}

    started = time.monotonic()
    timed_out = slow(warm, 10, marker=str(marker))
    elapsed = time.monotonic() - started

    assert timed_out.status_code == 500
    assert timed_out.json() == {"message": "Internal Server Error"}
    assert elapsed < 5  # killed at 2 s, not after its 10 s sleep
    time.sleep(0.5)
    assert not marker.exists()  # like Lambda, the run was stopped: its finally block never ran
    assert "SlowFunction: Task timed out after 2 seconds" in warm.log()
    pids_after = {answer.json()["pid"] for answer in side_by_side(warm, CONCURRENCY, 0.1)}
    assert len(pids_before - pids_after) == 1  # the killed environment was replaced by a new one
