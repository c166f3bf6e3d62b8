"""Execution environments: subprocesses with their own module state and variables, killed at their deadline, in a
pool per function that grows up to its concurrency (devstack/execution)."""

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack.execution.context import FunctionError, TaskTimedOutError
from devstack.execution.pool import EnvironmentPool
from devstack.execution.process import ProcessEnvironment

HANDLERS = Path(__file__).parent / "fixtures" / "handlers"
RUNTIME = {
    "AWS_LAMBDA_FUNCTION_NAME": "fn",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/fn",
    "AWS_LAMBDA_LOG_STREAM_NAME": "local",
}


@pytest.fixture
def environments() -> Iterator[list[ProcessEnvironment]]:
    started: list[ProcessEnvironment] = []
    yield started
    for environment in started:
        environment.close()


def start(environments: list[ProcessEnvironment], handler: str, **variables: str) -> ProcessEnvironment:
    environment = ProcessEnvironment(label="fn", handler=handler, code_root=HANDLERS, environment=RUNTIME | variables)
    environments.append(environment)
    environment.wait_ready()
    return environment


def invoke(environment: ProcessEnvironment, event: Any, timeout: float = 5) -> Any:
    return environment.invoke(event, request_id="r", arn="arn:fn", timeout=timeout)


def test_each_environment_has_its_own_module_state_and_variables(environments: list[ProcessEnvironment]) -> None:
    one = start(environments, "environments.count", SETTING="one")
    two = start(environments, "environments.count", SETTING="two")

    answers = [invoke(one, {"n": 1}), invoke(one, {"n": 2}), invoke(two, {"raw": b"\x00"})]

    assert [(a["count"], a["setting"]) for a in answers] == [(1, "one"), (2, "one"), (1, "two")]
    assert answers[0]["pid"] == answers[1]["pid"] != answers[2]["pid"]
    assert answers[2]["event"] == {"raw": "AA=="}  # binary reaches the handler as Lambda's JSON has it: base64
    assert answers[0]["function"] == "fn"
    assert 4000 < answers[0]["remaining"] <= 5000


def test_a_handler_error_is_a_function_error_and_the_environment_lives_on(
    environments: list[ProcessEnvironment],
) -> None:
    environment = start(environments, "environments.fail")

    with pytest.raises(FunctionError, match="ValueError: no such thing"):
        invoke(environment, {})
    assert environment.alive


def test_an_import_error_is_an_init_error(environments: list[ProcessEnvironment]) -> None:
    with pytest.raises(FunctionError, match=r"Runtime\.ImportModuleError: RuntimeError: broken at import"):
        start(environments, "broken.handler")


def test_a_run_past_its_deadline_is_killed_without_its_finally(
    environments: list[ProcessEnvironment], tmp_path: Path
) -> None:
    environment = start(environments, "environments.sleep")
    marker = tmp_path / "marker"
    started = time.monotonic()

    with pytest.raises(TaskTimedOutError):
        invoke(environment, {"seconds": 5, "marker": str(marker)}, timeout=1)

    assert time.monotonic() - started < 3
    assert not environment.alive
    assert not environment.process.is_alive()
    time.sleep(0.2)
    assert not marker.exists()


class FakeEnvironment:
    created = 0

    def __init__(self) -> None:
        FakeEnvironment.created += 1
        self.pid = FakeEnvironment.created
        self.alive = True

    def wait_ready(self) -> None:
        pass

    def invoke(self, event: Any, *, request_id: str, arn: str, timeout: float, trace_header: str = "") -> Any:
        time.sleep(event)
        return self.pid

    def close(self) -> None:
        self.alive = False

    def shut_down(self) -> None:
        self.alive = False


def test_a_pool_grows_to_its_size_then_queues_and_reuses_warm_environments() -> None:
    pool = EnvironmentPool("fn", 2, FakeEnvironment)
    FakeEnvironment.created = 0
    results: list[int] = []

    def run() -> None:
        with pool.environment() as environment:
            results.append(environment.invoke(0.2, request_id="r", arn="a", timeout=1))

    threads = [threading.Thread(target=run) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert FakeEnvironment.created == 2
    assert sorted(set(results)) == [1, 2]
    assert len(results) == 5


def test_a_dead_environment_makes_room_for_a_new_one() -> None:
    pool = EnvironmentPool("fn", 1, FakeEnvironment)
    FakeEnvironment.created = 0
    with pool.environment() as environment:
        environment.close()  # as a timeout does
    with pool.environment() as environment:
        assert environment.pid == 2
    pool.close()
    with pytest.raises(FunctionError), pool.environment():
        pass
