"""The import and export jobs a verification's contract suite created, per test user, for the clean-up to delete.

The API cannot list an owner's jobs, so each one is recorded from the 202 of the POST /imports or POST /exports that
created it (verify/contract.py hears every answer the suite receives). The fuzz and the load run in processes of
their own: they write theirs to a file (verify/ledger.py), which verify/suites.py adds here after each run.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import requests

from verify.ledger import created_job


@dataclass
class JobLedger:
    """Job paths (/imports/<id>, /exports/<id>) by the bearer token that created them, in creation order."""

    paths: dict[str, list[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def heard(self, method: str, route: str, authorization: str, response: requests.Response) -> None:
        """One answer the suite received, to `route` as contract.route_of names it."""
        if (job := created_job(method, route, response.status_code, response.content)) is not None:
            self.add(authorization.removeprefix("Bearer "), job)

    def add(self, token: str, job: str) -> None:
        with self._lock:
            self.paths.setdefault(token, []).append(job)

    def created_by(self, token: str) -> list[str]:
        with self._lock:
            return list(self.paths.get(token, []))
