"""Logger, metrics and tracer shared by every function, and the one decorator stack every entry point uses.

Service name, namespace and log level come from the POWERTOOLS_* and Lambda logging variables in template.yaml.
"""

import warnings
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer

from app import snapstart

# Read-only requests publish no business metric; Powertools would warn on every one of them.
warnings.filterwarnings("ignore", message="No application metrics to publish")

logger = Logger()
metrics = Metrics()
tracer = Tracer()

# Every function imports this module at init: with SnapStart, state drawn at init is renewed after each restore.
snapstart.register_hooks()

Handler = Callable[[dict[str, Any], Any], Any]


def entry_point(*, correlation_id_path: str | None = None) -> Callable[[Handler], Handler]:
    """Logs with the Lambda context and a correlation id, traces, and flushes metrics with a cold-start metric."""

    def decorate(handler: Handler) -> Handler:
        # capture_response=False: responses carry customer data that must not land in trace metadata.
        traced = tracer.capture_lambda_handler(capture_response=False)(handler)
        measured = metrics.log_metrics(capture_cold_start_metric=True)(traced)
        logged: Handler = logger.inject_lambda_context(correlation_id_path=correlation_id_path, clear_state=True)(
            measured
        )
        return logged

    return decorate
