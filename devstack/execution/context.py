"""What the Lambda runtime gives a handler besides its event: the context object and the runtime's variables.

Kept free of devstack's other modules: an execution environment's subprocess imports it (cold start stays small).
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any


class FunctionError(Exception):
    """The handler raised, its environment died, or it ran past its timeout: API Gateway answers 500, event
    sources retry."""


class TaskTimedOutError(FunctionError):
    """The run passed its deadline (the function's Timeout)."""

    def __init__(self) -> None:
        super().__init__("Task timed out")


@dataclass
class LambdaContext:
    """The attributes and method of the Lambda runtime's context object that handlers and Powertools use.

    Like the runtime (its Lambda-Runtime-Deadline-Ms header), it holds the run's deadline in epoch milliseconds,
    set when the run starts: time spent waiting for a free environment does not count.
    """

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    log_group_name: str
    deadline_ms: int
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_stream_name: str = "local/[$LATEST]devstack"
    identity: Any = None
    client_context: Any = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.deadline_ms - int(time.time() * 1000))


def deadline_after(seconds: float) -> int:
    """The deadline in epoch milliseconds of a run starting now."""
    return int((time.time() + seconds) * 1000)


def context_from_environment(*, request_id: str, deadline_ms: int, invoked_function_arn: str) -> LambdaContext:
    """The context as the Python runtime builds it: the function's part from its variables, the rest per run."""
    return LambdaContext(
        function_name=os.environ["AWS_LAMBDA_FUNCTION_NAME"],
        invoked_function_arn=invoked_function_arn,
        memory_limit_in_mb=int(os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]),
        log_group_name=os.environ["AWS_LAMBDA_LOG_GROUP_NAME"],
        deadline_ms=deadline_ms,
        function_version=os.environ["AWS_LAMBDA_FUNCTION_VERSION"],
        aws_request_id=request_id,
        log_stream_name=os.environ["AWS_LAMBDA_LOG_STREAM_NAME"],
    )
