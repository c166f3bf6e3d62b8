"""The services' default clock (tests pass their own)."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
