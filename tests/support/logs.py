"""The structured log lines the shared Powertools logger writes, captured whatever stdout was at import time."""

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def captured_logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Within the block, the logger writes to a buffer; the callable returns its JSON lines so far."""
    # Imported here: Powertools reads the service name and namespace from the environment on first import,
    # which must not happen while tests are collected, before their fixtures set the environment.
    from app.observability import logger

    buffer = io.StringIO()
    handler = logger.registered_handler
    previous = handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]
