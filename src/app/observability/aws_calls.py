"""One OpenTelemetry span per AWS call (TracingMode=otel), from botocore's own events on boto3's default session.

Each span names the service and operation, the table, queue or bucket the call acts on, and the request's
correlation id; the call's X-Amzn-Trace-Id names the span as its parent (botocore copies Lambda's header, which
names the function's segment), so that what the call triggers (an SQS message's consumer) joins the span.
botocore's event hooks cost a dictionary look-up per call, where the OpenTelemetry botocore instrumentation costs
about 0.17 B more at init (issue 25's measurement) for attributes this service does not use.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any

import boto3
from opentelemetry.trace import Span, SpanKind, StatusCode, Tracer

CorrelationId = Callable[[], str | None]
# Where botocore's request context (one dict per call, from the first event to the last) keeps the call's span.
SPAN_KEY = "app.observability.span"
TRACE_HEADER = "X-Amzn-Trace-Id"
PARENT = re.compile(r"Parent=[0-9a-fA-F]{16}")


def resource_attributes(params: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """The table(s), queue or bucket a call names, under OpenTelemetry's semantic-convention keys."""
    attributes: dict[str, str | list[str]] = {}
    tables = [params["TableName"]] if "TableName" in params else list(params.get("RequestItems", {}))
    tables += [next(iter(item.values()))["TableName"] for item in params.get("TransactItems", [])]
    if tables:
        attributes["aws.dynamodb.table_names"] = sorted(set(tables))
    if "QueueUrl" in params:
        attributes["messaging.destination.name"] = str(params["QueueUrl"]).rsplit("/", 1)[-1]
    if "Bucket" in params:
        attributes["aws.s3.bucket"] = str(params["Bucket"])
    return attributes


def register_aws_call_spans(tracer: Tracer, correlation_id: CorrelationId) -> None:
    """Starts a client span before each call's parameters are built and ends it when the call returns or fails.
    Registered on the default session before any client is created (clients copy its handlers)."""

    def start(params: Mapping[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        service = model.service_model.service_id
        span = tracer.start_span(
            f"{service}.{model.name}",
            kind=SpanKind.CLIENT,
            attributes={
                "rpc.system": "aws-api",
                "rpc.service": str(service),
                "rpc.method": model.name,
                "correlation_id": correlation_id() or "",
                **resource_attributes(params),
            },
        )
        context[SPAN_KEY] = span

    def name_the_span_as_parent(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        # Only the parent changes: Root, Sampled and Lineage (Lambda's recursion detection) stay as Lambda set them.
        span: Span | None = context.get(SPAN_KEY)
        header = params["headers"].get(TRACE_HEADER)
        if span is not None and header:
            params["headers"][TRACE_HEADER] = PARENT.sub(f"Parent={span.get_span_context().span_id:016x}", header)

    def returned(http_response: Any, context: dict[str, Any], **_: Any) -> None:
        if (span := context.pop(SPAN_KEY, None)) is not None:
            span.set_attribute("http.response.status_code", http_response.status_code)
            if http_response.status_code >= 400:
                span.set_status(StatusCode.ERROR)
            span.end()

    def failed(exception: Exception, context: dict[str, Any], **_: Any) -> None:
        span: Span | None = context.pop(SPAN_KEY, None)
        if span is not None:
            span.record_exception(exception)
            span.set_status(StatusCode.ERROR, type(exception).__name__)
            span.end()

    events = boto3._get_default_session().events
    events.register("before-parameter-build", start)
    events.register("before-call", name_the_span_as_parent)  # after botocore's own, which copies the header
    events.register("after-call", returned)
    events.register("after-call-error", failed)
