"""An execution environment in a subprocess (devstack.execution.child.run), driven over pipes.

The subprocesses are forked from a multiprocessing forkserver that has imported the libraries most Python
functions use (PRELOAD), so that a cold start imports only the function's own code: with 2 cores and several
environments starting at once, it takes about a third of the time. Each environment then imports the handler
once, under its function's variables, and keeps its module state (settings, clients, caches) while it lives, as
a Lambda container does. A library that reads a variable when it is imported sees the stack's variables, not the
function's (botocore, pydantic and Powertools read theirs when they are used).

A run that passes its deadline is killed: as in Lambda nothing more of the handler runs (no `finally`), and the
next invocation gets a new environment (a cold start).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import multiprocessing.forkserver
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devstack.execution import child
from devstack.execution.context import FunctionError, TaskTimedOutError, deadline_after

LOG = logging.getLogger("devstack")
INIT_TIMEOUT_SECONDS = 60.0  # Lambda allows 10 s; imports take longer on a loaded laptop than in Lambda
PRELOAD = ["devstack.execution.child", "boto3", "botocore.session", "pydantic", "aws_lambda_powertools"]
_FORKSERVER = multiprocessing.get_context("forkserver")
_FORKSERVER.set_forkserver_preload(PRELOAD)  # a module missing here is skipped, and imported by whoever needs it


def start_forkserver() -> None:
    """Starts the forkserver now (it imports PRELOAD in the background) rather than at the first cold start."""
    multiprocessing.forkserver.ensure_running()


class ProcessEnvironment:
    def __init__(self, *, label: str, handler: str, code_root: Path, environment: Mapping[str, str]) -> None:
        self.label = label
        self.alive = True
        requests, self._requests = _FORKSERVER.Pipe(duplex=False)  # (reading end, writing end)
        self._answers, answers = _FORKSERVER.Pipe(duplex=False)
        lifeline, self._lifeline = _FORKSERVER.Pipe(duplex=False)
        ends = (requests, answers, lifeline)
        self.process = _FORKSERVER.Process(
            target=child.run,
            # Plain str: the template's strings are YAML node subclasses that do not pickle.
            kwargs={
                "handler_path": str(handler),
                "code_root": str(code_root),
                "environment": {str(key): str(value) for key, value in environment.items()},
                "requests": requests,
                "answers": answers,
                "lifeline": lifeline,
            },
            name=f"{label} environment",
            daemon=False,  # it ends with its pipes or its parent, not at this process's exit handlers
        )
        self.process.start()
        for connection in ends:
            connection.close()  # the child has its own copies

    @property
    def pid(self) -> int:
        return int(self.process.pid or 0)

    def wait_ready(self) -> None:
        """The cold start: waits until the handler is imported; FunctionError if that failed."""
        answer = self._receive(time.monotonic() + INIT_TIMEOUT_SECONDS)
        if answer is None:
            self.close()
            raise FunctionError(f"Init timed out after {INIT_TIMEOUT_SECONDS:.0f} seconds")
        if "initError" in answer:
            self.close()
            error = answer["initError"]
            raise FunctionError(f"Runtime.ImportModuleError: {error['errorType']}: {error['errorMessage']}")

    def invoke(self, event: Any, *, request_id: str, arn: str, timeout: float, trace_header: str = "") -> Any:
        """The handler's result; FunctionError if it raised, its environment died or it passed the deadline."""
        deadline_ms = deadline_after(timeout)
        request = {"requestId": request_id, "deadlineMs": deadline_ms, "arn": arn, "event": event}
        request |= {"traceHeader": trace_header}
        try:
            self._requests.send_bytes(json.dumps(request, default=child.to_json).encode("utf-8"))
        except OSError as error:
            self.close()
            raise FunctionError(f"Runtime exited: {error}") from error
        answer = self._receive(time.monotonic() + (deadline_ms / 1000 - time.time()))
        if answer is None:
            self.close()
            raise TaskTimedOutError
        if "error" in answer:
            raise FunctionError(f"{answer['error']['errorType']}: {answer['error']['errorMessage']}")
        return answer["result"]

    def _receive(self, deadline: float) -> dict[str, Any] | None:
        """The next answer; None at the deadline; FunctionError if the process ended without answering."""
        try:
            if not self._answers.poll(max(0.0, deadline - time.monotonic())):
                return None
            answer: dict[str, Any] = json.loads(self._answers.recv_bytes())
        except (EOFError, OSError) as error:
            self.process.join()
            code = self.process.exitcode
            self.close()
            raise FunctionError(f"Runtime exited with error: exit status {code}") from error
        return answer

    def close(self) -> None:
        """Ends the environment at once, even in the middle of a run (which is lost, as in Lambda)."""
        if not self.alive:
            return
        self.alive = False
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        for connection in (self._requests, self._answers, self._lifeline):
            connection.close()

    def shut_down(self, timeout: float = 2.0) -> None:
        """Ends an idle environment: with its requests pipe closed, it leaves on its own."""
        if self.alive:
            self._requests.close()
            self.process.join(timeout)
            self.close()
