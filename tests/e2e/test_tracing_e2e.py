"""TracingMode=otel on the local stack: the gateway passes the caller's X-Amzn-Trace-Id on, the function's
environment gets it as _X_AMZN_TRACE_ID, and the spans of its AWS calls reach the stack's daemon endpoint
(devstack/tracing) under that trace."""

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from devstack.token import token_for
from devstack.tracing.ids import new_root
from tests.e2e.localstack import Stack, start_stack, stop_stack

pytestmark = [pytest.mark.e2e]


@pytest.fixture(scope="module")
def otel_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = start_stack(tmp_path_factory.mktemp("devstack-otel"), "--parameter", "TracingMode=otel")
    yield running
    stop_stack(running.process)


SERVER = 2  # OTLP's SPAN_KIND_SERVER: the function's own span, sent with the spans of its calls


def spans_of_trace(stack: Stack, root: str) -> list[dict[str, Any]]:
    """The spans of one trace, once the function's own has come (UDP arrives a moment after the response)."""
    path = stack.log_path.parent / "spans.jsonl"
    deadline = time.monotonic() + 10
    while True:
        spans = [span for line in path.read_text().splitlines() if (span := json.loads(line))["xray_trace_id"] == root]
        if any(span["kind"] == SERVER for span in spans) or time.monotonic() > deadline:
            return spans
        time.sleep(0.1)


def test_a_created_item_has_a_span_per_dynamodb_call_under_the_callers_trace(otel_stack: Stack) -> None:
    root = new_root()
    token = token_for(f"tracer-{uuid.uuid4().hex[:8]}", otel_stack.outputs)

    response = requests.post(
        f"{otel_stack.base_url}/items",
        json={"name": "Desk lamp", "price": 49.9},
        headers={"Authorization": f"Bearer {token}", "X-Amzn-Trace-Id": f"Root={root}"},
        timeout=30,
    )

    assert response.status_code == 201, response.text
    spans = spans_of_trace(otel_stack, root)
    [handler] = [span for span in spans if span["kind"] == SERVER]
    calls = [span for span in spans if span["attributes"].get("rpc.service") == "DynamoDB"]
    assert calls, f"no DynamoDB span in trace {root}: {spans}"
    assert {call["parent_span_id"] for call in calls} == {handler["span_id"]}
    assert all(call["attributes"]["aws.dynamodb.table_names"] for call in calls)
    correlation_ids = {span["attributes"]["correlation_id"] for span in spans}
    assert len(correlation_ids) == 1  # the request's, on the function's span and on each call's
    assert "" not in correlation_ids
