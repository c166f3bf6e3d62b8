"""A function of the template as the local stack runs it: its variables, context, environments and timeout."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from devstack.execution.context import FunctionError, TaskTimedOutError
from devstack.execution.inprocess import InProcessEnvironment
from devstack.execution.pool import Environment, EnvironmentPool
from devstack.execution.process import ProcessEnvironment
from devstack.sam import Function
from devstack.tracing.ids import lambda_trace_header

LOG = logging.getLogger("devstack")
DEFAULT_CONCURRENCY = 4
LOG_STREAM = "local/[$LATEST]devstack"


def runtime_variables(function: Function, name: str, region: str, log_group: str) -> dict[str, str]:
    """What the Lambda runtime adds to a function's own variables (AWS_SAM_LOCAL turns Powertools tracing off)."""
    logging_config = function.properties.get("LoggingConfig", {})
    variables = {
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": log_group,
        "AWS_LAMBDA_LOG_STREAM_NAME": LOG_STREAM,
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
    """One function: up to `concurrency` environments of its own, subprocesses, or in this process (breakpoints).

    `environment` is the function's variables; subprocess environments also get the stack's own (endpoint,
    credentials, PATH), as `base_environment`.
    """

    def __init__(
        self,
        function: Function,
        *,
        name: str,
        arn: str,
        environment: Mapping[str, str],
        concurrency: int = 1,
        in_process: bool = True,
        base_environment: Mapping[str, str] | None = None,
    ) -> None:
        self.function = function
        self.name = name
        self.arn = arn
        self.environment = dict(environment)
        self.in_process = in_process
        self._base_environment = dict(base_environment or {})
        self.pool = EnvironmentPool(function.logical_id, max(1, concurrency), self._new_environment)

    @property
    def logical_id(self) -> str:
        return self.function.logical_id

    def _new_environment(self) -> Environment:
        label, handler, code_root = self.logical_id, self.function.handler, self.function.code_uri
        if self.in_process:
            return InProcessEnvironment(label=label, handler=handler, code_root=code_root, environment=self.environment)
        environment = {**self._base_environment, **self.environment}
        return ProcessEnvironment(label=label, handler=handler, code_root=code_root, environment=environment)

    def invoke(self, event: Any, trace_header: str | None = None) -> Any:
        """The handler's result; FunctionError if it raised, its environment died or it overran its Timeout.
        The run's _X_AMZN_TRACE_ID continues trace_header's trace (X-Amzn-Trace-Id), else starts one, as Lambda's."""
        request_id = str(uuid.uuid4())
        trace = lambda_trace_header(trace_header)
        try:
            with self.pool.environment() as environment:
                return environment.invoke(
                    event, request_id=request_id, arn=self.arn, timeout=self.function.timeout, trace_header=trace
                )
        except TaskTimedOutError:
            LOG.error(
                "%s: Task timed out after %s seconds (request %s)", self.logical_id, self.function.timeout, request_id
            )
            raise
        except FunctionError as error:
            LOG.error("%s failed (request %s): %s", self.logical_id, request_id, error)
            raise

    def prewarm(self) -> None:
        """One environment started now (as provisioned concurrency would), not at the first invocation."""
        if self.in_process:
            return
        try:
            with self.pool.environment():
                pass
        except FunctionError as error:
            LOG.error("%s: no environment: %s", self.logical_id, error)

    def close(self) -> None:
        self.pool.close()
