"""TracingMode=otel: OpenTelemetry spans with X-Ray trace ids, one per AWS call, sent to Lambda's X-Ray endpoint.

The OTel SDK runs in the function; the spans of an invocation are collected in memory and sent when the handler
returns, as OTLP over UDP to AWS_XRAY_DAEMON_ADDRESS, the address Lambda gives every function with active tracing
(the ADOT Python distro's Lambda mode sends to the same endpoint in the same format). X-Ray keeps them as spans
with Transaction Search on (README, Operations). UDP on a non-blocking socket: the send never waits for a reader,
so export costs its encoding only (bounded by MAX_SPANS_PER_INVOCATION), and any export error is logged, never
raised into the response.
"""

import base64
import logging
import os
import socket
from collections.abc import Callable, Sequence
from typing import Any

from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.propagators.aws.aws_xray_propagator import AwsXRayLambdaPropagator
from opentelemetry.sdk.extension.aws.trace.aws_xray_id_generator import AwsXRayIdGenerator
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.trace import SpanKind

from app.observability.aws_calls import register_aws_call_spans

Handler = Callable[[dict[str, Any], Any], Any]
CorrelationId = Callable[[], str | None]

# The X-Ray daemon's framing of an OTLP traces payload (base64 of the protobuf ExportTraceServiceRequest).
DAEMON_HEADER = b'{"format":"json","version":1}\n'
OTLP_TRACES_PREFIX = b"T1S"
# A UDP datagram holds at most 64 KiB: spans go in slices well under it. An invocation keeps at most this many
# spans (a runaway loop of AWS calls drops the rest), which bounds the time export takes.
SPANS_PER_DATAGRAM = 25
MAX_SPANS_PER_INVOCATION = 200
DEFAULT_DAEMON_ADDRESS = "127.0.0.1:2000"

_log = logging.getLogger(__name__)


class UdpDaemonExporter:
    """Sends spans to the X-Ray daemon endpoint; never blocks (non-blocking socket), never raises."""

    def __init__(self, address: str) -> None:
        host, _, port = address.rpartition(":")
        # Resolved once (Lambda gives an IP address): no name look-up on the way to a response.
        self.destination = socket.getaddrinfo(host, int(port), socket.AF_INET, socket.SOCK_DGRAM)[0][4]
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.setblocking(False)

    def export(self, spans: Sequence[ReadableSpan]) -> None:
        if not spans:
            return
        try:
            for start in range(0, len(spans), SPANS_PER_DATAGRAM):
                payload = encode_spans(spans[start : start + SPANS_PER_DATAGRAM]).SerializeToString()
                self.socket.sendto(DAEMON_HEADER + OTLP_TRACES_PREFIX + base64.b64encode(payload), self.destination)
        except Exception:  # a lost trace must never fail or delay the request it describes
            _log.warning("trace export failed; the invocation's spans are dropped", exc_info=True)


class InvocationSpans(SpanProcessor):
    """Keeps the spans ended during an invocation until the handler returns (Lambda freezes the process after it,
    so a background batch thread would hold them until the next invocation)."""

    def __init__(self) -> None:
        self.ended: list[ReadableSpan] = []

    def on_end(self, span: ReadableSpan) -> None:
        if len(self.ended) < MAX_SPANS_PER_INVOCATION:
            self.ended.append(span)

    def take(self) -> list[ReadableSpan]:
        ended, self.ended = self.ended, []
        return ended


def otel_tracing(correlation_id: CorrelationId) -> Callable[[Handler], Handler]:
    """Sets up the tracer provider once (cold start) and returns the decorator that traces an entry point."""
    spans = InvocationSpans()
    provider = TracerProvider(
        id_generator=AwsXRayIdGenerator(),
        resource=Resource.create({"service.name": os.environ.get("POWERTOOLS_SERVICE_NAME", "unknown_service")}),
    )
    provider.add_span_processor(spans)
    tracer = provider.get_tracer("app.observability")
    exporter = UdpDaemonExporter(os.environ.get("AWS_XRAY_DAEMON_ADDRESS", DEFAULT_DAEMON_ADDRESS))
    propagator = AwsXRayLambdaPropagator()
    register_aws_call_spans(tracer, correlation_id)

    def traced(handler: Handler) -> Handler:
        def run(event: dict[str, Any], context: Any) -> Any:
            # Lambda sets _X_AMZN_TRACE_ID per invocation: the handler's span is a child of its function segment.
            parent = propagator.extract({})
            name = getattr(context, "function_name", "handler")
            try:
                with tracer.start_as_current_span(name, context=parent, kind=SpanKind.SERVER) as span:
                    span.set_attribute("correlation_id", correlation_id() or "")
                    return handler(event, context)
            finally:
                exporter.export(spans.take())

        return run

    return traced
