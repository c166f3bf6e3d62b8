"""Tracing as Lambda provides it: a trace header per invocation (`_X_AMZN_TRACE_ID`, from the gateway's
X-Amzn-Trace-Id or a new root) and the X-Ray daemon's UDP endpoint (AWS_XRAY_DAEMON_ADDRESS), whose OTLP spans
(TracingMode=otel) the stack writes to spans.jsonl beside its outputs."""
