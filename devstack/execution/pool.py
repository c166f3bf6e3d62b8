"""A function's execution environments: created on demand up to its concurrency, reused while warm.

An invocation takes the most recently used idle environment (as Lambda reuses warm containers), or creates one
(a cold start) while fewer than `size` exist, or else waits for one to come free. An environment that died or
timed out is dropped; its place goes to the next cold start.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from devstack.execution.context import FunctionError

LOG = logging.getLogger("devstack")


class Environment(Protocol):
    alive: bool

    @property
    def pid(self) -> int: ...

    def wait_ready(self) -> None: ...

    def invoke(self, event: Any, *, request_id: str, arn: str, timeout: float, trace_header: str = "") -> Any: ...

    def close(self) -> None: ...

    def shut_down(self) -> None: ...


class EnvironmentPool:
    def __init__(self, name: str, size: int, create: Callable[[], Environment]) -> None:
        self.name = name
        self.size = size
        self._create = create
        self._idle: list[Environment] = []
        self._count = 0
        self._closed = False
        self._changed = threading.Condition()

    @contextmanager
    def environment(self) -> Iterator[Environment]:
        """An environment of this function for one invocation, alone."""
        environment = self._acquire()
        try:
            yield environment
        finally:
            self._release(environment)

    def _acquire(self) -> Environment:
        with self._changed:
            while not self._idle and self._count >= self.size and not self._closed:
                self._changed.wait()
            if self._closed:
                raise FunctionError("the local stack is stopping")
            if self._idle:
                return self._idle.pop()
            self._count += 1
            number = self._count
        try:
            return self._cold_start(number)
        except BaseException:
            with self._changed:
                self._count -= 1
                self._changed.notify()
            raise

    def _cold_start(self, number: int) -> Environment:
        started = time.monotonic()
        environment = self._create()
        environment.wait_ready()
        LOG.info(
            "%s: execution environment %s of %s ready (pid %s, init %.2f s)",
            self.name,
            number,
            self.size,
            environment.pid,
            time.monotonic() - started,
        )
        return environment

    def _release(self, environment: Environment) -> None:
        with self._changed:
            if environment.alive and not self._closed:
                self._idle.append(environment)
            else:
                self._count -= 1
            self._changed.notify()
        if self._closed:
            environment.shut_down()

    def close(self) -> None:
        """Ends idle environments now and busy ones when their run ends."""
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
            self._changed.notify_all()
        for environment in idle:
            environment.shut_down()
