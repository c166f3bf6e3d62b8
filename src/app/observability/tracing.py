"""How a function traces, chosen once at cold start from TRACING_MODE (template.yaml's TracingMode parameter).

Nothing outside app.observability knows how a function traces: every entry point gets the same decorator, whose
work is decided here. What each mode loads at init is what it costs (README, Performance):

- xray: Powertools Tracer over the X-Ray SDK, botocore patched: a subsegment per AWS call.
- otel: the OpenTelemetry SDK with X-Ray ids, a span per AWS call, sent to Lambda's X-Ray endpoint
  (app.observability.otel).
- off: Lambda's own segments only (Tracing: Active). Neither the X-Ray SDK nor Powertools Tracer is imported:
  constructing Tracer imports aws_xray_sdk.core even when tracing is disabled.
"""

import os
from collections.abc import Callable, Mapping
from typing import Any, Literal, cast, get_args

Handler = Callable[[dict[str, Any], Any], Any]
CorrelationId = Callable[[], str | None]
TracingMode = Literal["xray", "otel", "off"]
TRACING_MODES: tuple[str, ...] = get_args(TracingMode)


class TracingModeError(ValueError):
    """TRACING_MODE is missing or names no mode: the function fails at cold start, not on its first request."""


def tracing_mode(environment: Mapping[str, str] = os.environ) -> TracingMode:
    value = environment.get("TRACING_MODE")
    if value in TRACING_MODES:
        return cast(TracingMode, value)
    raise TracingModeError(f"TRACING_MODE must be one of {', '.join(TRACING_MODES)}; got {value!r}")


def untraced(handler: Handler) -> Handler:
    return handler


def xray_tracing() -> Callable[[Handler], Handler]:
    # Imported here, not at the top: with another mode the X-Ray SDK stays out of the function's init.
    from aws_lambda_powertools import Tracer

    # Only botocore is patched: the code makes no other outgoing calls, and patching every library the X-Ray SDK
    # knows (sqlite3, httplib, requests, ...) imports them all at cold start.
    tracer = Tracer(patch_modules=("botocore",))

    def traced(handler: Handler) -> Handler:
        # capture_response=False: responses carry customer data that must not land in trace metadata.
        decorated: Handler = tracer.capture_lambda_handler(capture_response=False)(handler)
        return decorated

    return traced


def otel_tracing(correlation_id: CorrelationId) -> Callable[[Handler], Handler]:
    # Imported here for the same reason: only TracingMode=otel loads OpenTelemetry.
    from app.observability.otel import otel_tracing

    return otel_tracing(correlation_id)


def handler_tracing(mode: TracingMode, correlation_id: CorrelationId) -> Callable[[Handler], Handler]:
    """The decorator that traces an entry point in this mode (set up once, at cold start); spans carry the
    request's correlation id where the mode records one."""
    if mode == "xray":
        return xray_tracing()
    if mode == "otel":
        return otel_tracing(correlation_id)
    return untraced
