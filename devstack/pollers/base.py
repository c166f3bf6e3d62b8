"""A background poller thread that stops cleanly on an Event and survives transient errors."""

from __future__ import annotations

import logging
import threading
from typing import Any

LOG = logging.getLogger("devstack")
_ERROR_PAUSE_SECONDS = 1.0


class Poller:
    """Calls poll_once in `workers` background threads until stopped; an exception is logged and polling resumes,
    as Lambda's pollers do. (Thread members, not a Thread subclass: Thread's private methods would clash.)"""

    def __init__(self, name: str, stop: threading.Event, workers: int = 1) -> None:
        self.name = name
        self.stop_event = stop
        self._threads = [
            threading.Thread(target=self._run, name=f"{name}#{number}", daemon=True) for number in range(workers)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def join(self, timeout: float | None = None) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def poll_once(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self.stop_event.is_set():
            try:
                self.poll_once()
            except Exception:
                if self.stop_event.is_set():
                    break  # the endpoint went away during shutdown
                LOG.exception("%s: polling failed, retrying", self.name)
                self.stop_event.wait(_ERROR_PAUSE_SECONDS)


def batch_item_failures(result: Any, identifiers: list[str]) -> set[str] | None:
    """Failed item ids of a partial batch response; None when the response fails the whole batch.

    Like Lambda: no response or an empty list means success; an empty or unknown itemIdentifier fails it all.
    """
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return set()
    failed = {str(item.get("itemIdentifier") or "") for item in result["batchItemFailures"]}
    return None if not failed <= set(identifiers) or "" in failed else failed
