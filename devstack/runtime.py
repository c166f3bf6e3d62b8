"""Runs a function's handler in this process, the way the Lambda Python runtime would.

os.environ is process-wide, so invocations take turns under one lock, each with its own function's environment:
one invocation at a time, like one Lambda execution environment. Handlers that read settings at import (cold
start) keep the environment of the first function that imported their module; functions sharing a handler module
therefore share those settings locally (true of this template: all API functions get the same Globals).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from devstack.sam import Function

LOG = logging.getLogger("devstack")
INVOCATION_LOCK = threading.RLock()
Handler = Callable[[Any, Any], Any]


class FunctionError(Exception):
    """The handler raised, or ran past its timeout: API Gateway answers 500, event sources retry."""


@dataclass
class LambdaContext:
    """The attributes and method of the Lambda runtime's context object that handlers and Powertools use."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    timeout_seconds: int
    log_group_name: str
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_stream_name: str = "local/[$LATEST]devstack"
    identity: Any = None
    client_context: Any = None
    _started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        remaining = self.timeout_seconds - (time.monotonic() - self._started)
        return max(0, int(remaining * 1000))


@contextmanager
def applied_environment(variables: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(variables)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def runtime_variables(function: Function, name: str, region: str, log_group: str) -> dict[str, str]:
    """What the Lambda runtime adds to a function's own variables (AWS_SAM_LOCAL turns Powertools tracing off)."""
    logging_config = function.properties.get("LoggingConfig", {})
    variables = {
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": log_group,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.runtime}",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_SAM_LOCAL": "true",
        "LAMBDA_TASK_ROOT": str(function.code_uri),
        "_HANDLER": function.handler,
    }
    if "LogFormat" in logging_config:
        variables["AWS_LAMBDA_LOG_FORMAT"] = str(logging_config["LogFormat"])
    if "ApplicationLogLevel" in logging_config:
        variables["AWS_LAMBDA_LOG_LEVEL"] = str(logging_config["ApplicationLogLevel"])
    return variables


class FunctionRuntime:
    """One function: its handler (imported on first use, a cold start), environment, name and timeout."""

    def __init__(self, function: Function, *, name: str, arn: str, environment: Mapping[str, str]) -> None:
        self.function = function
        self.name = name
        self.arn = arn
        self.environment = dict(environment)
        self._handler: Handler | None = None

    @property
    def logical_id(self) -> str:
        return self.function.logical_id

    def _load(self) -> Handler:
        module_name, _, attribute = self.function.handler.rpartition(".")
        code_root = str(self.function.code_uri)
        if code_root not in sys.path:
            sys.path.insert(0, code_root)
        handler: Handler = getattr(importlib.import_module(module_name), attribute)
        return handler

    def new_context(self) -> LambdaContext:
        return LambdaContext(
            function_name=self.name,
            invoked_function_arn=self.arn,
            memory_limit_in_mb=self.function.memory_size,
            timeout_seconds=self.function.timeout,
            log_group_name=self.environment.get("AWS_LAMBDA_LOG_GROUP_NAME", f"/aws/lambda/{self.name}"),
        )

    def invoke(self, event: Any, context: LambdaContext | None = None) -> Any:
        """The handler's result; FunctionError if it raised or overran the template's Timeout."""
        context = context or self.new_context()
        with INVOCATION_LOCK, applied_environment(self.environment):
            try:
                if self._handler is None:
                    self._handler = self._load()
                result = self._handler(event, context)
            except Exception as error:
                LOG.exception("%s failed (request %s)", self.logical_id, context.aws_request_id)
                raise FunctionError(f"{type(error).__name__}: {error}") from error
        if context.get_remaining_time_in_millis() == 0:
            # Lambda would have stopped the handler; in-process we can only report it after the fact.
            LOG.error("%s: Task timed out after %s seconds", self.logical_id, self.function.timeout)
            raise FunctionError("Task timed out")
        return result
