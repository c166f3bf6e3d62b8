"""X-Ray trace headers as Lambda hands them to a function: the caller's root, a new segment id as the parent."""

import re
import secrets
import time

# The header HTTP APIs read and pass on to the function's event (lower-cased, as every header of the event).
TRACE_HEADER = "x-amzn-trace-id"
ROOT = re.compile(r"Root=(1-[0-9a-f]{8}-[0-9a-f]{24})")


def new_root() -> str:
    """An X-Ray trace id: version 1, the epoch seconds in hex, 96 random bits."""
    return f"1-{int(time.time()):08x}-{secrets.token_hex(12)}"


def root_of(header: str | None) -> str | None:
    found = ROOT.search(header or "")
    return found.group(1) if found else None


def gateway_trace_header(incoming: str | None) -> str:
    """What the gateway passes on: the caller's header when it names a trace, else a new trace's root."""
    return incoming if incoming and root_of(incoming) else f"Root={new_root()}"


def lambda_trace_header(incoming: str | None) -> str:
    """_X_AMZN_TRACE_ID for one invocation: the incoming trace's root (a new one without), Lambda's function
    segment as the parent, sampled (as active tracing samples the first request each second, and a local run wants
    every one)."""
    return f"Root={root_of(incoming) or new_root()};Parent={secrets.token_hex(8)};Sampled=1"
