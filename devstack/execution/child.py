"""One execution environment, in a process of its own (see devstack.execution.process).

Like the Lambda Python runtime: takes its function's variables, imports the handler once (the cold start; an
error there is an init error), then runs one invocation at a time, each received over the requests pipe with its
request id, deadline and ARN, and answered on the answers pipe. It ends when its parent closes the requests pipe,
or at once when the parent dies (the lifeline pipe reaches its end), so that a killed stack leaves no worker
behind.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

from devstack.execution.context import context_from_environment

Handler = Callable[[Any, Any], Any]


def to_json(value: Any) -> Any:
    """What Lambda's JSON gives for values boto3 parsed: binary as base64, timestamps as epoch seconds."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def error_of(error: BaseException) -> dict[str, Any]:
    return {"errorType": type(error).__name__, "errorMessage": str(error)}


def _exit_with_parent(lifeline: Connection) -> None:
    try:
        lifeline.recv_bytes()  # only end of file ever comes: the parent holds the other end and sends nothing
    finally:
        os._exit(137)


def _load(handler_path: str, code_root: str) -> Handler:
    sys.path.insert(0, code_root)
    module_name, _, attribute = handler_path.rpartition(".")
    handler: Handler = getattr(importlib.import_module(module_name), attribute)
    return handler


def _invoke(handler: Handler, request: dict[str, Any]) -> dict[str, Any]:
    # As the Lambda runtime does for each invocation: the trace header in the environment, for tracers to read.
    os.environ["_X_AMZN_TRACE_ID"] = request.get("traceHeader", "")
    context = context_from_environment(
        request_id=request["requestId"], deadline_ms=request["deadlineMs"], invoked_function_arn=request["arn"]
    )
    try:
        return {"result": handler(request["event"], context)}
    except Exception as error:
        traceback.print_exc()  # the runtime logs the error and its stack, then reports it
        return {"error": error_of(error)}


def _answer(connection: Connection, message: dict[str, Any]) -> None:
    try:
        connection.send_bytes(json.dumps(message, default=to_json).encode("utf-8"))
    except (TypeError, ValueError) as error:
        failure = {"errorType": "Runtime.MarshalError", "errorMessage": f"Unable to marshal response: {error}"}
        connection.send_bytes(json.dumps({"error": failure}).encode("utf-8"))


def serve(handler_path: str, code_root: str, requests: Connection, answers: Connection) -> None:
    try:
        handler = _load(handler_path, code_root)
    except Exception as error:
        traceback.print_exc()
        _answer(answers, {"initError": error_of(error)})
        return
    _answer(answers, {"ready": True})
    while True:
        try:
            request = json.loads(requests.recv_bytes())
        except EOFError:
            return
        answer = _invoke(handler, request)
        sys.stdout.flush()  # the run's logs before the gateway's line about it
        _answer(answers, answer)


def run(
    *,
    handler_path: str,
    code_root: str,
    environment: dict[str, str],
    requests: Connection,
    answers: Connection,
    lifeline: Connection,
) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the parent decides when environments end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(lifeline,), name="lifeline", daemon=True).start()
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(code_root)
    serve(handler_path, code_root, requests, answers)
