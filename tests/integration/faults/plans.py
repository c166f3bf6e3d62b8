"""The faults every write path is tested under, by name, for parametrised tests."""

from collections.abc import Callable

from app.adapters.aws import CLIENT_CONFIG
from tests.support.faults import FaultInjector

# botocore's "max_attempts" counts retries: a call makes one attempt more than that.
ATTEMPTS = CLIENT_CONFIG.retries["max_attempts"] + 1  # type: ignore[attr-defined]

Plan = Callable[[FaultInjector, str, str], object]

# Faults botocore's retries absorb: the client must get exactly the answer it would have had without them.
ABSORBED: dict[str, Plan] = {
    "unreachable-once": lambda faults, operation, table: faults.fail_before_send(operation, table=table),
    "timeout-unapplied": lambda faults, operation, table: faults.fail_before_send(operation, table=table, timeout=True),
    "applied-then-timeout": lambda faults, operation, table: faults.apply_then_timeout(operation, table=table),
    "applied-then-500": lambda faults, operation, table: faults.apply_then_timeout(operation, table=table, status=500),
    "throttled-once": lambda faults, operation, table: faults.throttle(operation, table=table),
    "throttling-twice": lambda faults, operation, table: faults.throttle(
        operation, table=table, times=2, code="ThrottlingException"
    ),
}

# Faults that outlast the retries: the API answers 503 with Retry-After, and nothing has changed.
EXHAUSTING: dict[str, Plan] = {
    "throttled": lambda faults, operation, table: faults.throttle(operation, table=table, times=ATTEMPTS),
    "timed-out": lambda faults, operation, table: faults.fail_before_send(
        operation, table=table, times=ATTEMPTS, timeout=True
    ),
    "unreachable": lambda faults, operation, table: faults.fail_before_send(operation, table=table, times=ATTEMPTS),
}
