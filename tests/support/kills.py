"""A Lambda run killed at its timeout, for tests on moto: it stops where it is, and nothing after that runs.

Lambda ends a run at its timeout without running `except` or `finally` blocks. `Kill` stops the thread that makes
a matching call right after moto applied it (or before it is sent, with `applied=False`) and parks it there for
good: the state it leaves is exactly what a killed run leaves. Run the victim with `run_until_killed` in a thread;
at the end of the `killing` block the parked thread is ended with a BaseException that no `except Exception`
handles (its `finally` blocks then run, but only after the test has looked at the state).

This complements tests/support/faults.py (botocore's retry faults), which replaces moto's `before-send` handler:
a Kill stands on either side of whichever handler serves the request, so the two can be combined.
"""

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3

Match = Callable[[dict[str, Any]], bool]


class Killed(BaseException):
    """Ends a parked thread once its test is over."""


@dataclass
class Kill:
    service: str
    operations: tuple[str, ...]
    match: Match = field(default=lambda body: True)
    applied: bool = True  # stop after the call was applied; False: before it is sent
    skip: int = 0  # matching calls that pass first
    parked: threading.Event = field(default_factory=threading.Event)
    _seen: int = 0
    _released: threading.Event = field(default_factory=threading.Event)

    def before(self, request: Any, event_name: str, **_: Any) -> None:
        if not self.applied:
            self._maybe_park(request, event_name)

    def after(self, request: Any, event_name: str, **_: Any) -> None:
        if self.applied:
            self._maybe_park(request, event_name)

    def _maybe_park(self, request: Any, event_name: str) -> None:
        names = {f"before-send.{self.service}.{operation}" for operation in self.operations}
        if event_name not in names or self.parked.is_set():
            return
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = {}
        if not self.match(body):
            return
        self._seen += 1
        if self._seen <= self.skip:
            return
        self.parked.set()
        self._released.wait()
        raise Killed()


@contextlib.contextmanager
def killing(*kills: Kill) -> Iterator[tuple[Kill, ...]]:
    """Registers the kills on the default boto3 session: clients created inside the block carry them."""
    events = boto3._get_default_session()._session.get_component("event_emitter")
    # On the generic event, as moto's stubber (or the fault injector): first and last among its handlers.
    for kill in kills:
        events.register_first("before-send", kill.before)
        events.register_last("before-send", kill.after)
    try:
        yield kills
    finally:
        for kill in kills:
            kill._released.set()
            events.unregister("before-send", kill.before)
            events.unregister("before-send", kill.after)


def run_until_killed(target: Callable[[], object], kills: Sequence[Kill], timeout: float = 60) -> threading.Thread:
    """Runs `target` in a thread until one of the kills stops it; fails if none does within `timeout`."""

    def run() -> None:
        with contextlib.suppress(Killed):
            target()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not any(kill.parked.is_set() for kill in kills):
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the run was not killed: it finished, failed, or never reached the kill")
        time.sleep(0.05)
    return thread
