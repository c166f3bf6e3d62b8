"""Faults injected into real botocore clients through their event hooks, for the jobs worker's tests on moto.

Three faults, each on the `before-send` event of one operation, so botocore's own retry logic handles them:

* `before`: a connection timeout before the request leaves: nothing is applied, botocore retries.
* `applied`: the request reaches moto and is applied, then the answer is lost (a read timeout): botocore sends
  the same request again, which finds its own earlier write.
* `throttle`: DynamoDB answers ThrottlingException without applying anything: botocore backs off and retries.
* `killed`: the request is applied, then the calling thread stops there for good, as a Lambda run killed at its
  timeout does: no except, no finally, nothing after it. Run the victim in a thread; `Fault.parked` tells when it
  stopped, and `release()` ends the thread at the end of the test (with a BaseException no except catches).

Handlers are registered on the default boto3 session, so every client created afterwards (the worker's clients
are created by its wiring) carries them; `faults()` removes them again.
"""

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import boto3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError

Kind = Literal["before", "applied", "throttle", "killed"]
KINDS: tuple[Kind, ...] = ("before", "applied", "throttle")
Match = Callable[[dict[str, Any]], bool]


class Killed(BaseException):
    """Ends a parked thread once its test is over; a BaseException, so no `except Exception` handles it."""


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, *_: Any) -> bytes:
        return self._body


@dataclass
class Fault:
    """One fault on one operation (or any of several); fires `times` times on the requests that `match` accepts."""

    kind: Kind
    service: str
    operation: str | tuple[str, ...]
    times: int = 1
    match: Match = field(default=lambda body: True)
    fired: int = 0
    parked: threading.Event = field(default_factory=threading.Event)
    _released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self._released.set()

    def wants(self, request: Any, event_name: str) -> bool:
        operations = (self.operation,) if isinstance(self.operation, str) else self.operation
        if event_name not in {f"before-send.{self.service}.{name}" for name in operations} or self.fired >= self.times:
            return False
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = {}
        return self.match(body)

    def before_moto(self, request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        if self.kind in ("applied", "killed") or not self.wants(request, event_name):
            return None
        self.fired += 1
        if self.kind == "before":
            raise ConnectTimeoutError(endpoint_url=request.url)
        # Point the request nowhere, so that no later handler (moto's stubber) serves or applies it.
        request.url = "https://throttled.invalid/"
        body = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException", "message": "slow down"})
        return AWSResponse("https://throttled.invalid/", 400, {}, _Raw(body.encode()))  # type: ignore[arg-type]

    def after_moto(self, request: Any, event_name: str, **_: Any) -> None:
        if self.kind not in ("applied", "killed") or not self.wants(request, event_name):
            return
        self.fired += 1
        if self.kind == "killed":
            self.parked.set()
            self._released.wait()
            raise Killed()
        raise ReadTimeoutError(endpoint_url=request.url)


@contextmanager
def faults(*injected: Fault) -> Iterator[tuple[Fault, ...]]:
    """Registers the faults on the default session for the clients created inside the block."""
    session = boto3._get_default_session()
    events = session._session.get_component("event_emitter")
    registered: list[tuple[str, Any]] = []
    for fault in injected:
        # On the generic event, like moto's stubber: handlers of a more specific event would all run before it.
        event = "before-send"
        events.register_first(event, fault.before_moto)
        events.register_last(event, fault.after_moto)
        registered += [(event, fault.before_moto), (event, fault.after_moto)]
    try:
        yield injected
    finally:
        for fault in injected:
            fault.release()
        for event, handler in registered:
            events.unregister(event, handler)


def run_until_killed(target: Callable[[], object], killers: Sequence[Fault], timeout: float = 60) -> threading.Thread:
    """Runs `target` in a thread until one of the `killed` faults stops it; fails if none does within timeout."""

    def run() -> None:
        with contextlib.suppress(Killed):
            target()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not any(fault.parked.is_set() for fault in killers):
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the run was not killed: it finished, failed, or never reached the fault")
        time.sleep(0.05)
    return thread
