"""Item changes read from the table's stream: the resource stream reader (resource_stream), for callers that want
a change or nothing (the audit function itself also tells unknown entities apart: resource_stream.read_change)."""

from collections.abc import Mapping
from typing import Any

from app.adapters.resource_stream import TTL_PRINCIPAL, MalformedChangeError, Skipped, read_change
from app.domain.audit import ResourceChange

__all__ = ["TTL_PRINCIPAL", "MalformedChangeError", "item_change"]


def item_change(record: Mapping[str, Any]) -> ResourceChange | None:
    """The change a stream record describes; None when it is no registered resource's (jobs, tombstones, ...)."""
    change = read_change(record)
    return None if isinstance(change, Skipped) else change
