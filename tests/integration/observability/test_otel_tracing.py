"""TracingMode=otel in a function's process: a span per AWS call under the invocation's X-Ray trace, sent to the
daemon endpoint; a failing export neither fails nor delays the response.

Each case is a fresh interpreter (TRACING_MODE is read once, at import), whose spans reach the local stack's own
receiver (devstack.tracing) as they would reach Lambda's X-Ray endpoint.
"""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from opentelemetry.sdk.trace import ReadableSpan

from app.observability.otel import MAX_SPANS_PER_INVOCATION, InvocationSpans
from devstack.tracing.receiver import SpanReceiver

ROOT = Path(__file__).parents[3]
TRACE_ROOT = "1-6750a1b2-0123456789abcdef01234567"
FUNCTION_SEGMENT = "53995c3f42cd8ad8"
# A handler behind the one entry point, making one DynamoDB call, answered in botocore's before-send event (no
# network), where the signed request shows the trace header it would send.
PROGRAM = """
import json, socket, sys
import boto3
from botocore.awsrequest import AWSResponse
from app.observability import entry_point

class Body:
    def stream(self, **_):
        yield b"{}"

def answer(request, **_):
    header = request.headers["X-Amzn-Trace-Id"]  # bytes once signed
    print("header", header.decode() if isinstance(header, bytes) else header, file=sys.stderr)
    return AWSResponse(request.url, 200, {}, Body())

client = boto3.client("dynamodb")
client.meta.events.register("before-send", answer)
if "--failing-export" in sys.argv:
    def refuse(*args, **kwargs):
        raise OSError("the daemon endpoint refuses")
    socket.socket.sendto = refuse

class Context:
    function_name = "ItemsReadFunction"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:ItemsReadFunction"
    aws_request_id = "request-1"

@entry_point(correlation_id_path="requestContext.requestId")
def handler(event, context):
    client.get_item(TableName="items", Key={"pk": {"S": "a"}})
    return {"statusCode": 200}

print(json.dumps(handler({"requestContext": {"requestId": "correlation-1"}}, Context())))
"""


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[SpanReceiver]:
    receiver = SpanReceiver(tmp_path / "spans.jsonl")
    yield receiver
    receiver.close()


def invoke(daemon_address: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT / "src"),
        "TRACING_MODE": "otel",
        "AWS_LAMBDA_FUNCTION_NAME": "ItemsReadFunction",
        "AWS_XRAY_DAEMON_ADDRESS": daemon_address,
        "_X_AMZN_TRACE_ID": f"Root={TRACE_ROOT};Parent={FUNCTION_SEGMENT};Sampled=1",
        "POWERTOOLS_SERVICE_NAME": "items",
        "POWERTOOLS_METRICS_NAMESPACE": "ItemsService",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def received(receiver: SpanReceiver, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        spans = [json.loads(line) for line in receiver.path.read_text().splitlines()]
        if len(spans) >= count:
            return spans
        time.sleep(0.05)
    return spans


def test_an_aws_call_is_a_span_of_the_invocations_trace_with_its_table_and_correlation_id(
    receiver: SpanReceiver,
) -> None:
    result = invoke(receiver.address)

    assert result.returncode == 0, result.stderr
    spans = {span["name"]: span for span in received(receiver, 2)}
    assert set(spans) == {"ItemsReadFunction", "DynamoDB.GetItem"}
    handler, call = spans["ItemsReadFunction"], spans["DynamoDB.GetItem"]
    assert {handler["xray_trace_id"], call["xray_trace_id"]} == {TRACE_ROOT}
    assert handler["parent_span_id"] == FUNCTION_SEGMENT  # a child of Lambda's function segment
    assert call["parent_span_id"] == handler["span_id"]
    assert call["attributes"] == {
        "rpc.system": "aws-api",
        "rpc.service": "DynamoDB",
        "rpc.method": "GetItem",
        "aws.dynamodb.table_names": ["items"],
        "correlation_id": "correlation-1",
        "http.response.status_code": 200,
    }


def test_an_aws_call_names_its_span_as_the_parent_of_what_it_triggers(receiver: SpanReceiver) -> None:
    result = invoke(receiver.address)

    [header] = [line.split()[1] for line in result.stderr.splitlines() if line.startswith("header ")]
    call = {span["name"]: span for span in received(receiver, 2)}["DynamoDB.GetItem"]
    assert header == f"Root={TRACE_ROOT};Parent={call['span_id']};Sampled=1"


def test_a_failing_export_does_not_fail_the_response(receiver: SpanReceiver) -> None:
    result = invoke(receiver.address, "--failing-export")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"statusCode": 200}
    assert "trace export failed" in result.stderr
    assert receiver.path.read_text() == ""


def test_an_invocation_keeps_at_most_its_bound_of_spans_for_export() -> None:
    # What bounds the time export adds to a response: the number of spans it encodes.
    spans = InvocationSpans()
    for _ in range(MAX_SPANS_PER_INVOCATION + 5):
        spans.on_end(cast(ReadableSpan, object()))

    assert len(spans.take()) == MAX_SPANS_PER_INVOCATION
    assert spans.take() == []
