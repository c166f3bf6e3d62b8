"""SnapStart: environments restored from one snapshot start with the same memory; the hooks make them differ."""

import random
import sys
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app import snapstart
from app.domain import ids

SNAPSHOT_MS = 1_750_000_000_000


class FakeRuntime:
    """The parts of Lambda's snapshot_restore_py module a function uses: hooks registered in order."""

    def __init__(self) -> None:
        self.before: list[Callable[[], Any]] = []
        self.after: list[Callable[[], Any]] = []

    def module(self) -> types.ModuleType:
        module = types.ModuleType("snapshot_restore_py")
        module.register_before_snapshot = self.before.append  # type: ignore[attr-defined]
        module.register_after_restore = self.after.append  # type: ignore[attr-defined]
        return module


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeRuntime]:
    fake = FakeRuntime()
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", fake.module())
    state = (ids._last, random.getstate())
    yield fake
    ids._last, _ = state
    random.setstate(state[1])


def frozen_clock(monkeypatch: pytest.MonkeyPatch, ms: int) -> None:
    monkeypatch.setattr(time, "time_ns", lambda: ms * 1_000_000)


def init_then_snapshot(runtime: FakeRuntime, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """Init registers the hooks and makes an id (as a warm-up might); the snapshot is the memory after it."""
    assert snapstart.register_hooks() is True
    frozen_clock(monkeypatch, SNAPSHOT_MS)
    ids.new_item_id()
    for hook in runtime.before:
        hook()
    return ids._last, random.getstate()


def restore(snapshot: tuple[Any, Any], hooks: list[Callable[[], Any]], count: int) -> tuple[list[str], float]:
    """One execution environment restored from the snapshot: its first ids and its first jitter draw."""
    ids._last, random_state = snapshot
    random.setstate(random_state)
    for hook in hooks:
        hook()
    return [ids.new_item_id() for _ in range(count)], random.random()


def test_the_hooks_register_with_the_runtime(runtime: FakeRuntime) -> None:
    assert snapstart.register_hooks() is True

    assert runtime.before == [snapstart.before_snapshot]
    assert runtime.after == [snapstart.after_restore]


def test_without_the_lambda_runtime_there_is_nothing_to_register(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import fails, as outside Lambda

    assert snapstart.register_hooks() is False


def test_two_restored_environments_never_make_the_same_id(
    runtime: FakeRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = init_then_snapshot(runtime, monkeypatch)
    # Worst case: both restored clocks read the snapshot's millisecond (a clock can step back after a restore).
    first, first_jitter = restore(snapshot, runtime.after, 500)
    second, second_jitter = restore(snapshot, runtime.after, 500)

    assert not set(first) & set(second)
    assert first_jitter != second_jitter
    assert first == sorted(first)
    assert second == sorted(second)


def test_without_the_hooks_restored_environments_would_collide(
    runtime: FakeRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the hooks are for: the same snapshot, restored twice without them, repeats ids and jitter."""
    assert snapstart.register_hooks() is True
    frozen_clock(monkeypatch, SNAPSHOT_MS)
    ids.new_item_id()
    snapshot = (ids._last, random.getstate())

    first, first_jitter = restore(snapshot, [], 5)
    second, second_jitter = restore(snapshot, [], 5)

    assert first == second
    assert first_jitter == second_jitter
