"""The X-Ray daemon's UDP endpoint, for the spans of TracingMode=otel: each datagram (the daemon's JSON header
line, then "T1S" and a base64 OTLP ExportTraceServiceRequest) becomes one JSON line per span in a file."""

from __future__ import annotations

import base64
import json
import logging
import socket
import threading
from pathlib import Path
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

LOG = logging.getLogger("devstack")
OTLP_TRACES_PREFIX = b"T1S"


def value_of(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [value_of(item) for item in value.array_value.values]
    return getattr(value, kind) if kind else None


def spans_of(datagram: bytes) -> list[dict[str, Any]]:
    """The spans of one datagram; none if it holds anything else (an X-Ray SDK segment, say)."""
    _, _, body = datagram.partition(b"\n")
    if not body.startswith(OTLP_TRACES_PREFIX):
        return []
    request = ExportTraceServiceRequest.FromString(base64.b64decode(body[len(OTLP_TRACES_PREFIX) :]))
    return [
        {
            "name": span.name,
            "trace_id": span.trace_id.hex(),
            "xray_trace_id": f"1-{span.trace_id.hex()[:8]}-{span.trace_id.hex()[8:]}",
            "span_id": span.span_id.hex(),
            "parent_span_id": span.parent_span_id.hex(),
            "kind": span.kind,
            "attributes": {attribute.key: value_of(attribute.value) for attribute in span.attributes},
        }
        for resource in request.resource_spans
        for scope in resource.scope_spans
        for span in scope.spans
    ]


class SpanReceiver:
    """Listens on host and a free port until closed; `address` is what AWS_XRAY_DAEMON_ADDRESS names."""

    def __init__(self, path: Path, host: str = "127.0.0.1") -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind((host, 0))
        self._socket.settimeout(0.2)  # how soon the thread notices close()
        self._closed = threading.Event()
        self.address = f"{host}:{self._socket.getsockname()[1]}"
        self._thread = threading.Thread(target=self._receive, name="span-receiver", daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while not self._closed.is_set():
            try:
                datagram = self._socket.recv(65536)
            except TimeoutError:
                continue
            try:
                spans = spans_of(datagram)
            except Exception:  # a malformed datagram is dropped, as the daemon drops it
                LOG.warning("span receiver: dropped a datagram it could not decode", exc_info=True)
                continue
            with self.path.open("a") as output:
                output.writelines(json.dumps(span) + "\n" for span in spans)

    def close(self) -> None:
        self._closed.set()
        self._thread.join()
        self._socket.close()
