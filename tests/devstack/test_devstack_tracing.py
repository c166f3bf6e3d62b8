"""Trace headers as Lambda and HTTP APIs hand them on, and the daemon endpoint's decoding (devstack/tracing)."""

import re

from devstack.tracing.ids import gateway_trace_header, lambda_trace_header, new_root, root_of
from devstack.tracing.receiver import spans_of

ROOT = "1-6750a1b2-0123456789abcdef01234567"


def test_the_gateway_passes_a_callers_trace_on_and_starts_one_otherwise() -> None:
    assert gateway_trace_header(f"Root={ROOT};Sampled=1") == f"Root={ROOT};Sampled=1"
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24}", gateway_trace_header(None))
    assert root_of(gateway_trace_header("garbage")) not in (None, "garbage")


def test_an_invocation_continues_the_trace_under_a_new_function_segment() -> None:
    first, second = lambda_trace_header(f"Root={ROOT}"), lambda_trace_header(f"Root={ROOT}")

    assert root_of(first) == root_of(second) == ROOT
    assert re.fullmatch(rf"Root={ROOT};Parent=[0-9a-f]{{16}};Sampled=1", first)
    assert first != second  # each invocation is a segment of its own
    assert root_of(lambda_trace_header(None)) != root_of(lambda_trace_header(None))


def test_new_roots_carry_the_time_and_differ() -> None:
    assert new_root() != new_root()


def test_the_daemon_endpoint_ignores_what_is_not_an_otlp_trace() -> None:
    # What the X-Ray SDK sends (TracingMode=xray): a segment document, not OTLP.
    assert spans_of(b'{"format":"json","version":1}\n{"trace_id":"1-5759e988-bd862e3fe1be46a994272793"}') == []
