"""Logger, metrics and tracing shared by every function, and the one decorator stack every entry point uses.

Service name, namespace and log level come from the POWERTOOLS_* and Lambda logging variables in template.yaml;
the tracing mode from TRACING_MODE (app.observability.tracing, the only code that knows how a function traces).
"""

import warnings
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric

from app import snapstart
from app.observability.tracing import Handler, handler_tracing, tracing_mode

# Read-only requests publish no business metric; Powertools would warn on every one of them.
warnings.filterwarnings("ignore", message="No application metrics to publish")

logger = Logger()
metrics = Metrics()
traced = handler_tracing(tracing_mode(), correlation_id=logger.get_correlation_id)

# Every function imports this module at init: with SnapStart, state drawn at init is renewed after each restore.
snapstart.register_hooks()

# A 5xx the API answered itself (an unexpected error, an unavailable dependency) is a successful run to Lambda:
# its Errors metric misses it. This metric counts them per function; its alarm is one of the canary's rollback alarms.
SERVER_ERROR_RESPONSES = "ServerErrorResponses"


def count_server_error_responses(handler: Handler) -> Handler:
    """Publishes SERVER_ERROR_RESPONSES (dimensions function_name and service, as Powertools' ColdStart) for every
    response of status 500 or more that the handler returns."""

    def counted(event: dict[str, Any], context: Any) -> Any:
        response = handler(event, context)
        if int(response.get("statusCode", 200)) >= 500:
            with single_metric(
                name=SERVER_ERROR_RESPONSES, unit=MetricUnit.Count, value=1, namespace=metrics.namespace
            ) as metric:
                metric.add_dimension(name="function_name", value=context.function_name)
                metric.add_dimension(name="service", value=str(metrics.service))
        return response

    return counted


def entry_point(
    *, correlation_id_path: str | None = None, http_responses: bool = False
) -> Callable[[Handler], Handler]:
    """Logs with the Lambda context and a correlation id, traces, and flushes metrics with a cold-start metric.
    With http_responses, the 5xx responses the handler returns are counted too (count_server_error_responses)."""

    def decorate(handler: Handler) -> Handler:
        if http_responses:
            handler = count_server_error_responses(handler)
        measured = metrics.log_metrics(capture_cold_start_metric=True)(traced(handler))
        logged: Handler = logger.inject_lambda_context(correlation_id_path=correlation_id_path, clear_state=True)(
            measured
        )
        return logged

    return decorate
