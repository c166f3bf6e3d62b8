"""API requests are not blocked behind the worker: while a 100,000-line import runs, GET /items and
GET /imports/{id} answer in bounded time, because the worker runs in execution environments of its own.

With every invocation taking turns (one environment for the whole stack, what `--concurrency 1` still does),
GET /imports/{id} waited 16.6 s behind a worker run and answered 500 "Task timed out". The figures (p50/p99 per
route) are printed with -s; E2E_LATENCY_CONCURRENCY=1 measures that mode for comparison (then the test fails).
"""

import os
from collections.abc import Iterator

import pytest

from devstack.token import token_for
from tests.e2e.jobs import api, latencies_during_import
from tests.e2e.localstack import Stack, start_stack, stop_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
# Since the local DynamoDB no longer copies the table per transaction (issue 21), 20,000 lines import in under the
# window (seen COMPLETED, not PROCESSING): 100,000 lines keep the worker busy well past it (about 1,000 lines/s).
LINES = 100_000
WINDOW_SECONDS = 30  # the worker is busy with the import the whole time
API_TIMEOUT_SECONDS = 10  # the template's Globals Timeout: an answer later than this would be a 500
CONCURRENCY = os.environ.get("E2E_LATENCY_CONCURRENCY", "4")


@pytest.fixture(scope="module")
def importing_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own: stopping it ends the import, which would otherwise slow every later test."""
    running = start_stack(tmp_path_factory.mktemp("devstack-latency"), "--concurrency", CONCURRENCY)
    yield running
    stop_stack(running.process)


@pytest.fixture(scope="module")
def token(importing_stack: Stack) -> str:
    issued = token_for("latency", importing_stack.outputs)
    for path in ("/items", "/imports/none"):  # warm: cold starts are not what is measured
        api(importing_stack, issued, "GET", path)
    return issued


def test_api_latency_stays_bounded_while_an_import_runs(importing_stack: Stack, token: str) -> None:
    measured = latencies_during_import(importing_stack, token, LINES, WINDOW_SECONDS)

    report = measured["report"]
    for route, latencies in measured["latencies"].items():
        print(f"{route} during a {LINES}-line import ({report.get('imported')} imported): {latencies.summary()}")
    assert report["status"] == "PROCESSING"  # measured while the worker was busy
    assert report["imported"] > 0
    for route, latencies in measured["latencies"].items():
        assert set(latencies.statuses) == {200}, (route, latencies.statuses)
        assert latencies.percentile(50) < 1.5, (route, latencies.summary())
        assert max(latencies.seconds) < API_TIMEOUT_SECONDS, (route, latencies.summary())
