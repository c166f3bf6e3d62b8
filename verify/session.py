"""The target of a running `make verify`, handed to the e2e fixtures of the same process (tests/e2e/conftest.py).

The contract suite runs in the verify process itself (pytest.main), so the test users' tokens never leave it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from verify.jobs import JobLedger

USER, OTHER = "user", "other"
# The e2e tests name their users freely; a verification has two: these names are the second one (owner isolation).
OTHER_NAMES = ("other", "bob")


@dataclass(frozen=True)
class Session:
    base_url: str
    outputs: dict[str, Any]
    tokens: dict[str, str] = field(repr=False)  # USER and OTHER -> an access token
    jobs: JobLedger = field(default_factory=JobLedger, repr=False)  # what the contract suite created, to delete

    def token_for(self, name: str) -> str:
        """The test user standing for the e2e tests' user `name`."""
        return self.tokens[OTHER if name.startswith(OTHER_NAMES) else USER]


_current: list[Session] = []


def begin(session: Session) -> None:
    _current[:] = [session]


def end() -> None:
    _current.clear()


def current() -> Session | None:
    return _current[0] if _current else None
