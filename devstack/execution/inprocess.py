"""The handlers run in this process, one invocation at a time for the whole stack: where breakpoints are hit.

os.environ belongs to the process, so invocations take turns under one lock, each with its own function's
variables. A module is imported once for the process: functions sharing a handler module share the settings of
whichever imported it first. A run past its timeout cannot be stopped; it is reported afterwards.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from devstack.execution.context import FunctionError, TaskTimedOutError, context_from_environment, deadline_after

INVOCATION_LOCK = threading.RLock()
Handler = Callable[[Any, Any], Any]


@contextmanager
def applied_environment(variables: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(variables)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class InProcessEnvironment:
    alive = True  # never discarded: there is only this process

    def __init__(self, *, label: str, handler: str, code_root: Path, environment: Mapping[str, str]) -> None:
        self.label = label
        self.pid = os.getpid()
        self._handler_path = handler
        self._code_root = str(code_root)
        self._environment = dict(environment)
        self._handler: Handler | None = None

    def wait_ready(self) -> None:
        """The handler is imported by the first invocation, under the function's variables."""

    def _load(self) -> Handler:
        if self._code_root not in sys.path:
            sys.path.insert(0, self._code_root)
        module_name, _, attribute = self._handler_path.rpartition(".")
        handler: Handler = getattr(importlib.import_module(module_name), attribute)
        return handler

    def invoke(self, event: Any, *, request_id: str, arn: str, timeout: float, trace_header: str = "") -> Any:
        with INVOCATION_LOCK, applied_environment({**self._environment, "_X_AMZN_TRACE_ID": trace_header}):
            # The run starts once this invocation has its turn: waiting for it does not count.
            context = context_from_environment(
                request_id=request_id, deadline_ms=deadline_after(timeout), invoked_function_arn=arn
            )
            try:
                if self._handler is None:
                    self._handler = self._load()
                result = self._handler(event, context)
            except Exception as error:
                traceback.print_exc()  # as the runtime logs it
                raise FunctionError(f"{type(error).__name__}: {error}") from error
        if context.get_remaining_time_in_millis() == 0:
            raise TaskTimedOutError  # Lambda would have stopped the handler; here we only know after
        return result

    def close(self) -> None:
        """Nothing to end: the handlers live in this process."""

    def shut_down(self) -> None:
        """Nothing to end: the handlers live in this process."""
